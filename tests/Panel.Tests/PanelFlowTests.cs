using System.Text;
using System.Text.RegularExpressions;
using AgenteVendedor.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgenteVendedor.Panel.Tests;

/// <summary>
/// A new shop owner's first session, in a real browser against real Silo, Api and Panel processes: register,
/// sign in, import the catalog (first with a mistake), fix a price, sell through the agent, see the sale,
/// answer a WhatsApp customer by hand.
/// </summary>
[Collection(PanelCollection.Name)]
public sealed partial class PanelFlowTests(PanelFixture fixture)
{
    [Fact]
    public async Task A_new_owner_registers_imports_the_catalog_sells_and_answers_a_whatsapp_customer()
    {
        var page = await fixture.NewPageAsync();
        await Pages.OnFailureAsync(page, "recorrido", () => FirstSessionAsync(page));
    }

    private async Task FirstSessionAsync(IPage page)
    {
        var email = ApiCalls.NewEmail("duena");

        // Crear empresa, then out and back in through Ingresar.
        await page.GotoAsync("/crear-empresa");
        await page.GetByLabel("Nombre del negocio").FillAsync("Ferretería El Tornillo");
        await page.GetByLabel("Tu nombre").FillAsync("Marta Ruiz");
        await page.GetByLabel("Correo electrónico").FillAsync(email);
        await page.GetByLabel("Contraseña").FillAsync(ApiCalls.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Crear empresa" }).ClickAsync();
        await Pages.WaitForAsync(page, "Inicio");
        await page.GetByRole(AriaRole.Button, new() { Name = "Salir" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ingresar" })).ToBeVisibleAsync();
        await Pages.SignInAsync(page, email);

        // The browser holds only an HttpOnly, SameSite=Strict cookie; the Api token is not in it.
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "agentevendedor_panel");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain("eyJ", cookie.Value, StringComparison.Ordinal);

        // A CSV with a bad row is refused and the row is named; nothing is imported.
        await Pages.OpenAsync(page, "Productos");
        await page.GetByRole(AriaRole.Button, new() { Name = "Importar CSV" }).ClickAsync();
        var catalog = File.ReadAllText(Repository.EvalFile("ferreteria.csv")).TrimEnd();
        var lines = catalog.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var broken = string.Join("\n", lines.Take(3).Append("FER-999,Serrucho roto,Sin precio,caro,3,Herramientas manuales")) + "\n";
        await page.Locator("#archivo-csv").SetInputFilesAsync(new FilePayload { Name = "malo.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(broken) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Importar", Exact = true }).ClickAsync();
        await Expect(page.Locator("ul.csv-errors li")).ToContainTextAsync(new Regex("^Fila 4, columna precio: 'caro' no es un precio válido"));

        // The good file: the counts, and the grid in the empresa's money format.
        await page.Locator("#archivo-csv").SetInputFilesAsync(new FilePayload { Name = "ferreteria.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(catalog + "\n") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Importar", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Importación lista" })).ToContainTextAsync($"{lines.Count - 1} creados");
        await page.GetByLabel("Buscar").FillAsync("martillo");
        await Expect(page.Locator("tr").Filter(new() { HasText = "Taladro percutor 650W" })).ToHaveCountAsync(0);
        var hammer = page.Locator("tr").Filter(new() { HasText = "Martillo de uña 16 oz" });
        await Expect(hammer).ToContainTextAsync(Money("$ 32.900"));

        // Exportar: the CSV comes through the panel with the session's token; without a session there is none.
        var export = await page.Context.APIRequest.GetAsync("/descargas/productos.csv");
        Assert.Equal(200, export.Status);
        Assert.Contains("FER-005", await export.TextAsync(), StringComparison.Ordinal);
        using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.PanelAddress })
        {
            var refused = await anonymous.GetAsync("/descargas/productos.csv");
            Assert.Equal(System.Net.HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/ingresar", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        // A new product the Api refuses: its messages stand under the fields they are about.
        await page.GetByRole(AriaRole.Button, new() { Name = "Nuevo producto" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Dialog);
        await form.GetByLabel("Nombre").FillAsync("Destornillador de estrella");
        await form.GetByLabel("Precio").FillAsync("-5");
        await form.GetByLabel("Stock").FillAsync("3");
        await form.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        var refusal = await RefusalOfAsync(new { sku = "", nombre = "Destornillador de estrella", descripcion = "", precio = -5, stock = 3, categoria = "", activo = true, palabras_clave = Array.Empty<string>() });
        foreach (var (field, label) in new[] { ("precio", "Precio"), ("sku", "SKU") })
        {
            var message = refusal["errors"]![field]![0]!.GetValue<string>();
            await Expect(form.Locator(".mud-input-control").Filter(new() { Has = page.GetByLabel(label, new() { Exact = true }) })).ToContainTextAsync(message);
        }

        await form.GetByRole(AriaRole.Button, new() { Name = "Cancelar" }).ClickAsync();
        await Expect(form).ToBeHiddenAsync();

        // Edit the price; the grid shows the new one.
        await hammer.GetByRole(AriaRole.Button, new() { Name = "Editar Martillo de uña 16 oz" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Precio").FillAsync("35900");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(hammer).ToContainTextAsync(Money("$ 35.900"));

        // Probar el agente places an order at the new price.
        await Pages.OpenAsync(page, "Empresa");
        var chat = page.GetByLabel("Mensaje de prueba");
        foreach (var text in ApiCalls.OrderDialogue.Prepend("quiero 2 martillos"))
        {
            var replies = await page.Locator(".transcript .bubble.agente").CountAsync();
            await chat.FillAsync(text);
            await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
            await Expect(page.Locator(".transcript .bubble.agente")).ToHaveCountAsync(replies + 1);
        }

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Venta registrada" })).ToBeVisibleAsync();

        // The sale is in Ventas and on Inicio; its detail moves it on to "preparando" and shows the historial.
        await Pages.OpenAsync(page, "Ventas");
        var saleRow = page.Locator("tr").Filter(new() { HasText = "2 × Martillo de uña 16 oz" });
        await Expect(saleRow).ToContainTextAsync(Money("$ 71.800"));
        await saleRow.GetByRole(AriaRole.Button, new() { Name = "Detalle" }).ClickAsync();
        var detail = page.GetByLabel("Detalle de la venta");
        var historial = detail.GetByLabel("Historial de la venta");
        await Expect(historial).ToContainTextAsync("Registrada como Confirmada");
        await detail.GetByLabel("Nota del cambio (opcional)").FillAsync("Empacando en bodega");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Pasar a preparando" }).ClickAsync();
        await Expect(historial.Locator("li")).ToHaveCountAsync(2);
        await Expect(historial.Locator("li").Nth(1)).ToContainTextAsync(new Regex(@"Confirmada → Preparando\s*·\s*Marta Ruiz\s*·\s*.Empacando en bodega."));
        await Expect(detail.GetByRole(AriaRole.Button, new() { Name = "Pasar a enviada" })).ToBeVisibleAsync();
        await Expect(saleRow).ToContainTextAsync("preparando");
        await Pages.OpenAsync(page, "Inicio");
        await Expect(page.Locator("[data-kpi=hoy]")).ToHaveTextAsync(Money("$ 71.800"));

        // Canales: connect WhatsApp (checked against the fake Graph API); the form shows what to paste at Meta.
        await Pages.OpenAsync(page, "Canales");
        await Expect(page.Locator("code.webhook-url").First).ToHaveTextAsync("https://api.mitienda.example/webhooks/whatsapp");
        await page.GetByLabel("Identificador del número (phone_number_id)").FillAsync(PanelFixture.PhoneNumberId);
        await page.GetByLabel("Token de acceso").FillAsync(PanelFixture.AccessToken);
        await page.GetByLabel("Clave secreta de la app").FillAsync(PanelFixture.AppSecret);
        await page.GetByLabel("Token de verificación (tú lo eliges, mínimo 8 caracteres)").FillAsync(PanelFixture.VerifyToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Conectar WhatsApp" }).ClickAsync();
        await Expect(page.GetByText($"Conectado: número {PanelFixture.PhoneNumberId}")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Token de acceso")).ToHaveValueAsync("");

        // A signed WhatsApp message shows up in the open inbox without a reload.
        await Pages.OpenAsync(page, "Conversaciones");
        await Expect(page.Locator("[data-live=si]")).ToBeVisibleAsync();
        var customer = "57301" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var api = fixture.Api();
        var delivered = await api.DeliverWhatsAppAsync(
            MetaWebhook.TextMessage(PanelFixture.PhoneNumberId, customer, "wamid.panel." + Guid.NewGuid().ToString("N"), "Hola, ¿tienen taladros?", name: "Lucía Torres"));
        Assert.True(delivered.IsSuccessStatusCode);
        var row = page.Locator(".inbox-row").Filter(new() { HasText = "Lucía Torres" });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });

        // Tomar, Responder (reaches the fake Graph API), Liberar.
        await row.ClickAsync();
        var open = page.GetByLabel("Conversación abierta");
        await Expect(open.Locator(".bubble.cliente").First).ToContainTextAsync("Hola, ¿tienen taladros?");
        await open.GetByRole(AriaRole.Button, new() { Name = "Tomar" }).ClickAsync();
        await open.GetByLabel("Tu respuesta").FillAsync("Hola Lucía, te atiende Marta: sí, tenemos el taladro percutor.");
        await open.GetByRole(AriaRole.Button, new() { Name = "Responder" }).ClickAsync();
        await Expect(open.Locator(".bubble.humano")).ToContainTextAsync("te atiende Marta");
        await WaitForSentAsync(customer, "te atiende Marta");
        await open.GetByRole(AriaRole.Button, new() { Name = "Liberar" }).ClickAsync();
        await Expect(open.GetByRole(AriaRole.Button, new() { Name = "Tomar" })).ToBeVisibleAsync();
    }

    /// <summary>What the Api answers an admin for this product body: the messages the form must show.</summary>
    private async Task<System.Text.Json.Nodes.JsonNode> RefusalOfAsync(object product)
    {
        using var api = fixture.Api();
        var token = await api.RegisterAsync("Comparación", ApiCalls.NewEmail("comparar"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/productos") { Content = System.Net.Http.Json.JsonContent.Create(product) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var http = fixture.Stack.CreateClient();
        using var response = await http.SendAsync(request);
        Assert.False(response.IsSuccessStatusCode);
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task WaitForSentAsync(string customer, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (fixture.Platforms.To(customer).Any(s => s.Body.ToJsonString().Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The fake Graph API never received '{text}' for {customer}.");
    }

    /// <summary>The browser's text with the culture's no-break spaces as plain ones, as the test writes it.</summary>
    private static Regex Money(string amount) => new(Regex.Escape(amount).Replace("\\ ", "[\\s\u00a0]", StringComparison.Ordinal));
}
