using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgenteVendedor.Panel.Tests;

/// <summary>An owner writes the shop's frequent questions in Empresa, and the agent answers from them.</summary>
[Collection(PanelCollection.Name)]
public sealed class EmpresaFaqTests(PanelFixture fixture)
{
    private const string Shipping = "¿Hacen envíos a Medellín?";
    private const string ShippingAnswer = "Sí, enviamos a Medellín en 2 días hábiles; el envío cuesta $ 12.000.";
    private const string PaymentAnswer = "Recibimos Nequi, Daviplata y efectivo contra entrega.";

    [Fact]
    public async Task An_owner_writes_the_faq_sees_a_refusal_on_its_row_and_the_agent_answers_from_it()
    {
        using var api = fixture.Api();
        var email = ApiCalls.NewEmail("faq");
        var token = await api.RegisterAsync("Ferretería Preguntona", email);
        // What the Api says of an entry without a question, to find under the row's own field.
        var (status, refusal) = await api.SendAsync(token, HttpMethod.Put, "/empresa", await EmpresaWithAsync(api, token,
            new JsonArray(new JsonObject { ["pregunta"] = Shipping, ["respuesta"] = ShippingAnswer }, new JsonObject { ["pregunta"] = "", ["respuesta"] = PaymentAnswer })));
        Assert.Equal(422, status);
        var blankQuestion = refusal!["errors"]!["preguntas_frecuentes[1].pregunta"]![0]!.GetValue<string>();

        var page = await fixture.NewPageAsync();
        await Pages.OnFailureAsync(page, "preguntas-frecuentes", async () =>
        {
            await Pages.SignInAsync(page, email);
            await Pages.OpenAsync(page, "Empresa");
            var faq = page.GetByLabel("Preguntas frecuentes");
            await Expect(faq).ToContainTextAsync("Aún no hay preguntas frecuentes.");

            // Three rows: one left blank (not sent), one without its question (refused on that row).
            for (var i = 0; i < 3; i++)
            {
                await faq.GetByRole(AriaRole.Button, new() { Name = "Agregar pregunta" }).ClickAsync();
            }

            await faq.GetByLabel("Pregunta 1", new() { Exact = true }).FillAsync(Shipping);
            await faq.GetByLabel("Respuesta 1", new() { Exact = true }).FillAsync(ShippingAnswer);
            await faq.GetByLabel("Respuesta 3", new() { Exact = true }).FillAsync(PaymentAnswer);
            await faq.GetByRole(AriaRole.Button, new() { Name = "Guardar preguntas" }).ClickAsync();
            var third = faq.Locator(".faq-entry").Nth(2);
            await Expect(third.Locator(".mud-input-control").Filter(new() { Has = page.GetByLabel("Pregunta 3", new() { Exact = true }) })).ToContainTextAsync(blankQuestion);
            Assert.Null((await api.SendAsync(token, HttpMethod.Get, "/empresa")).Body!["preguntas_frecuentes"]?.AsArray().FirstOrDefault());

            await faq.GetByLabel("Pregunta 3", new() { Exact = true }).FillAsync("¿Qué medios de pago aceptan?");
            await faq.GetByRole(AriaRole.Button, new() { Name = "Guardar preguntas" }).ClickAsync();
            await Expect(page.GetByText("Preguntas frecuentes guardadas.")).ToBeVisibleAsync();
            // The blank row was not kept; after a reload the two entries are there as written.
            await page.ReloadAsync();
            await Pages.WaitForAsync(page, "Empresa");
            await Expect(faq.Locator(".faq-entry")).ToHaveCountAsync(2);
            await Expect(faq.GetByLabel("Respuesta 1", new() { Exact = true })).ToHaveValueAsync(ShippingAnswer);
            await Expect(faq.GetByLabel("Pregunta 2", new() { Exact = true })).ToHaveValueAsync("¿Qué medios de pago aceptan?");

            // Probar el agente: a customer's way of asking gets the shop's own answer.
            await page.GetByLabel("Mensaje de prueba").FillAsync("hola, hacen envios a medellin?");
            await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
            await Expect(page.Locator(".transcript .bubble.agente").Last).ToContainTextAsync("enviamos a Medellín en 2 días hábiles");

            // Quitar, then save: the Api keeps only the other one.
            await faq.GetByRole(AriaRole.Button, new() { Name = "Quitar la pregunta 1" }).ClickAsync();
            await faq.GetByRole(AriaRole.Button, new() { Name = "Guardar preguntas" }).ClickAsync();
            await Expect(faq.Locator(".faq-entry")).ToHaveCountAsync(1);
            var kept = Assert.Single((await api.SendAsync(token, HttpMethod.Get, "/empresa")).Body!["preguntas_frecuentes"]!.AsArray());
            Assert.Equal(PaymentAnswer, kept!["respuesta"]!.GetValue<string>());
        });
    }

    private static async Task<JsonObject> EmpresaWithAsync(ApiCalls api, string token, JsonArray faq)
    {
        var empresa = (await api.SendAsync(token, HttpMethod.Get, "/empresa")).Body!.AsObject();
        var body = JsonNode.Parse(empresa.ToJsonString())!.AsObject();
        body["preguntas_frecuentes"] = faq;
        return body;
    }
}
