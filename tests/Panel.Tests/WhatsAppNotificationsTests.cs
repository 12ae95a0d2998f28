using System.Globalization;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgenteVendedor.Panel.Tests;

/// <summary>
/// An owner picks, in Canales, the approved WhatsApp template that tells a customer their sale is confirmed, and then
/// sees in Ventas what each customer was told: the template sent, and the step nobody could be told of and why.
/// </summary>
[Collection(PanelCollection.Name)]
public sealed class WhatsAppNotificationsTests(PanelFixture fixture)
{
    private const string PhoneNumberId = "109876543555";
    private const string AccessToken = "EAAG-panel-avisos";
    private const string WabaId = "777000111222";

    [Fact]
    public async Task An_owner_maps_a_template_in_canales_and_sees_each_customer_notice_on_the_sale()
    {
        fixture.Platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        fixture.Platforms.RegisterTemplates(WabaId, AccessToken,
            new FakeMessaging.FakeTemplate("pedido_confirmado", "es", "Hola {{1}}, tu pedido {{2}} está confirmado."),
            new FakeMessaging.FakeTemplate("promo_navidad", "es", "Ofertas de {{1}}", Status: "REJECTED", Category: "MARKETING"));
        using var api = fixture.Api();
        var email = ApiCalls.NewEmail("avisos");
        var token = await api.RegisterAsync("Ferretería Avisadora", email);
        await api.ImportAsync(token, File.ReadAllText(Repository.EvalFile("ferreteria.csv")));

        var page = await fixture.NewPageAsync();
        await Pages.OnFailureAsync(page, "avisos-whatsapp", async () =>
        {
            await Pages.SignInAsync(page, email);
            await Pages.OpenAsync(page, "Canales");
            await Pages.ConnectWhatsAppAsync(page, PhoneNumberId, AccessToken, ("Cuenta de WhatsApp Business (waba_id, opcional: para elegir plantillas)", WabaId));

            // Only the approved template is offered; a parameter the Api does not fill is refused on its row.
            var notices = page.GetByLabel("Avisos por WhatsApp");
            var confirmed = notices.GetByLabel("Plantilla de Venta confirmada");
            await Expect(confirmed.Locator("option")).ToHaveTextAsync(["Sin plantilla", "pedido_confirmado (es) · 2 parámetros"]);
            await confirmed.SelectOptionAsync("pedido_confirmado|es");
            await notices.GetByLabel("Parámetros de Venta confirmada").FillAsync("cliente, pedido");
            await notices.GetByRole(AriaRole.Button, new() { Name = "Guardar plantillas" }).ClickAsync();
            await Expect(notices.Locator(".plantilla-evento").First).ToContainTextAsync("pedido");
            var (_, mapping) = await api.SendAsync(token, HttpMethod.Get, "/canales/whatsapp/notificaciones");
            Assert.Null(mapping!["venta_confirmada"]);

            await notices.GetByLabel("Parámetros de Venta confirmada").FillAsync("cliente, venta");
            await notices.GetByRole(AriaRole.Button, new() { Name = "Guardar plantillas" }).ClickAsync();
            await Expect(page.GetByText("Plantillas de avisos guardadas.")).ToBeVisibleAsync();
            (_, mapping) = await api.SendAsync(token, HttpMethod.Get, "/canales/whatsapp/notificaciones");
            Assert.Equal("pedido_confirmado", mapping!["venta_confirmada"]!["nombre"]!.GetValue<string>());
            Assert.Equal(["cliente", "venta"], mapping["venta_confirmada"]!["parametros"]!.AsArray().Select(p => p!.GetValue<string>()));

            // A customer who last wrote 25 hours ago buys through staff: the template tells them; the next step has none.
            var phone = "57315" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
            var written = await api.DeliverWhatsAppAsync(MetaWebhook.Message(PhoneNumberId, phone, new JsonObject
            {
                ["from"] = phone, ["id"] = $"wamid.avisos.{Guid.NewGuid():N}", ["type"] = "text", ["text"] = new JsonObject { ["body"] = "hola" },
                ["timestamp"] = DateTimeOffset.UtcNow.AddHours(-25).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            }));
            Assert.True(written.IsSuccessStatusCode);
            var customer = await api.PostAsync(token, "/clientes", new { nombre = "Rosa Díaz", telefono = "+" + phone });
            var (_, products) = await api.SendAsync(token, HttpMethod.Get, "/productos?buscar=martillo");
            var hammer = products!["items"]![0]!["id"]!.GetValue<string>();
            await api.PostAsync(token, "/ventas", new
            {
                cliente_id = customer["id"]!.GetValue<string>(), canal = "whatsapp", items = new[] { new { producto_id = hammer, cantidad = 1 } },
            });

            await Pages.OpenAsync(page, "Ventas");
            var saleRow = page.Locator("tr").Filter(new() { HasText = "1 × Martillo de uña 16 oz" });
            await saleRow.GetByRole(AriaRole.Button, new() { Name = "Detalle" }).ClickAsync();
            var detail = page.GetByLabel("Detalle de la venta");
            var avisos = detail.GetByLabel("Avisos al cliente");
            await Expect(avisos.Locator("li").First).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
                @"Confirmada\s*·\s*plantilla pedido_confirmado\s*·\s*(enviado|entregado|leído)"), new() { Timeout = 20_000 });
            await detail.GetByRole(AriaRole.Button, new() { Name = "Pasar a preparando" }).ClickAsync();
            await Expect(avisos.Locator("li")).ToHaveCountAsync(2, new() { Timeout = 20_000 });
            await Expect(avisos.Locator("li").Nth(1)).ToContainTextAsync("no se envió", new() { Timeout = 20_000 });
            await Expect(avisos.Locator("li").Nth(1)).ToContainTextAsync("24 horas");
            Assert.Single(fixture.Platforms.To(phone), s => s.Body["type"]?.GetValue<string>() == "template");
        });
    }
}
