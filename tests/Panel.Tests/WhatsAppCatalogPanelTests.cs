using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgenteVendedor.Panel.Tests;

/// <summary>An owner connects the number's Meta catalog in Canales and publishes the shop's products to it.</summary>
[Collection(PanelCollection.Name)]
public sealed class WhatsAppCatalogPanelTests(PanelFixture fixture)
{
    private const string PhoneNumberId = "109876543666";
    private const string AccessToken = "EAAG-panel-catalogo";
    private const string CatalogId = "880011223344";

    [Fact]
    public async Task An_owner_publishes_the_catalog_and_sees_what_went_and_what_did_not()
    {
        fixture.Platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        fixture.Platforms.RegisterCatalog(CatalogId, AccessToken);
        using var api = fixture.Api();
        var email = ApiCalls.NewEmail("catalogo");
        var token = await api.RegisterAsync("Ferretería Catálogo", email);
        await api.ImportAsync(token, File.ReadAllText(Repository.EvalFile("ferreteria.csv")));
        var (_, products) = await api.SendAsync(token, HttpMethod.Get, "/productos?tamano=100");
        var all = products!["items"]!.AsArray();
        var hammer = all.First(p => p!["nombre"]!.GetValue<string>().StartsWith("Martillo", StringComparison.Ordinal))!;
        var body = JsonNode.Parse(hammer.ToJsonString())!.AsObject();
        body["imagen_url"] = "https://cdn.ferreteria.example/martillo.jpg";
        foreach (var readOnly in new[] { "id", "creado_en", "actualizado_en" })
        {
            body.Remove(readOnly);
        }

        var (saved, _) = await api.SendAsync(token, HttpMethod.Put, $"/productos/{hammer["id"]}", body);
        Assert.Equal(200, saved);

        var page = await fixture.NewPageAsync();
        await Pages.OnFailureAsync(page, "catalogo-whatsapp", async () =>
        {
            await Pages.SignInAsync(page, email);
            await Pages.OpenAsync(page, "Canales");
            await Pages.ConnectWhatsAppAsync(page, PhoneNumberId, AccessToken, ("Catálogo de Meta (catalog_id, opcional: para vender con el catálogo de WhatsApp)", CatalogId));

            var catalog = page.GetByLabel("Catálogo de WhatsApp", new() { Exact = true });
            await catalog.GetByRole(AriaRole.Button, new() { Name = "Publicar catálogo" }).ClickAsync();
            await Expect(catalog).ToContainTextAsync($"1 producto publicado, {all.Count - 1} sin publicar.");
            await Expect(catalog.GetByLabel("Productos sin publicar").Locator("li")).ToHaveCountAsync(all.Count - 1);
            Assert.Equal([hammer["sku"]!.GetValue<string>()], fixture.Platforms.CatalogItems(CatalogId).Keys);
        });
    }
}
