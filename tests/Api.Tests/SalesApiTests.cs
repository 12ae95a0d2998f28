using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class SalesApiTests(ApiFixture fixture)
{
    private readonly ApiClient _anonymous = fixture.Anonymous();

    private async Task<(Tenant Tenant, Dictionary<string, string> Ids)> WithFerreteriaAsync()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var products = await tenant.Admin.GetAsync("/productos?tamano=100");
        var ids = products.Json["items"]!.AsArray().ToDictionary(p => p!["sku"]!.GetValue<string>(), p => p!["id"]!.GetValue<string>());
        return (tenant, ids);
    }

    private static object Sale(params (string ProductId, int Quantity)[] items) =>
        new { items = items.Select(i => new { producto_id = i.ProductId, cantidad = i.Quantity }).ToArray() };

    [Fact]
    public async Task A_sale_uses_catalog_prices_and_refuses_short_stock_with_what_is_available()
    {
        var (tenant, ids) = await WithFerreteriaAsync();

        var sale = await tenant.Admin.PostAsync("/ventas", new
        {
            items = new object[] { new { producto_id = ids["FER-011"], cantidad = 3, precio_unitario = 1 }, new { producto_id = ids["FER-014"], cantidad = 1 } },
            canal = "whatsapp",
        });
        Assert.Equal(HttpStatusCode.Created, sale.Status);
        Assert.Equal("confirmada", sale.Json["estado"]!.GetValue<string>());
        Assert.Equal(64900m * 3 + 6900m, sale.Json["total"]!.GetValue<decimal>());
        Assert.Equal(64900m, sale.Json["items"]![0]!["precio_unitario"]!.GetValue<decimal>());
        Assert.Equal(194700m, sale.Json["items"]![0]!["subtotal"]!.GetValue<decimal>());

        var tooMany = await tenant.Admin.PostAsync("/ventas", Sale((ids["FER-011"], 1), (ids["FER-022"], 8)));
        tooMany.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(ids["FER-022"], tooMany.Json["producto_id"]!.GetValue<string>());
        Assert.Equal(3, tooMany.Json["disponible"]!.GetValue<int>());
        Assert.Equal(47, (await tenant.Admin.GetAsync($"/productos/{ids["FER-011"]}")).Json["stock"]!.GetValue<int>());

        (await tenant.Admin.PostAsync("/ventas", new { items = Array.Empty<object>() })).AssertProblem(HttpStatusCode.UnprocessableEntity);
        var badQuantity = await tenant.Admin.PostAsync("/ventas", Sale((ids["FER-011"], 0)));
        badQuantity.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(badQuantity.ErrorsFor("items[0].cantidad"));
        (await tenant.Admin.PostAsync("/ventas", Sale((Guid.NewGuid().ToString(), 1)))).AssertProblem(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Annulling_a_sale_returns_its_stock_and_only_admins_may()
    {
        var (tenant, ids) = await WithFerreteriaAsync();
        var (seller, _, _) = await _anonymous.AddUserAsync(tenant, "vendedor");
        var sale = await seller.PostAsync("/ventas", Sale((ids["FER-015"], 10)));
        var saleId = sale.Json["id"]!.GetValue<string>();
        Assert.Equal(90, (await seller.GetAsync($"/productos/{ids["FER-015"]}")).Json["stock"]!.GetValue<int>());

        (await seller.PostAsync($"/ventas/{saleId}/anular", null)).AssertProblem(HttpStatusCode.Forbidden);
        var annulled = await tenant.Admin.PostAsync($"/ventas/{saleId}/anular", null);

        Assert.Equal(HttpStatusCode.OK, annulled.Status);
        Assert.Equal("anulada", annulled.Json["estado"]!.GetValue<string>());
        Assert.Equal(100, (await seller.GetAsync($"/productos/{ids["FER-015"]}")).Json["stock"]!.GetValue<int>());
        (await tenant.Admin.PostAsync($"/ventas/{saleId}/anular", null)).AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(1, (await seller.GetAsync("/ventas?estado=anulada")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Customers_are_kept_in_e164_unique_per_empresa_and_list_their_sales()
    {
        var (tenant, ids) = await WithFerreteriaAsync();
        var customer = await tenant.Admin.PostAsync("/clientes", new { nombre = "José Núñez", telefono = "300 123 4567", direccion = "Cra 1 # 2-3" });
        Assert.Equal(HttpStatusCode.Created, customer.Status);
        Assert.Equal("+573001234567", customer.Json["telefono"]!.GetValue<string>());
        var customerId = customer.Json["id"]!.GetValue<string>();

        (await tenant.Admin.PostAsync("/clientes", new { nombre = "Otro", telefono = "+57 300-123-4567" })).AssertProblem(HttpStatusCode.Conflict);
        var badPhone = await tenant.Admin.PostAsync("/clientes", new { nombre = "Otro", telefono = "12" });
        badPhone.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(badPhone.ErrorsFor("telefono"));
        var elsewhere = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.Created, (await elsewhere.Admin.PostAsync("/clientes", new { nombre = "Mismo número", telefono = "+573001234567" })).Status);

        var sale = await tenant.Admin.PostAsync("/ventas", new { cliente_id = customerId, items = new[] { new { producto_id = ids["FER-005"], cantidad = 2 } } });
        Assert.Equal(HttpStatusCode.Created, sale.Status);
        var history = await tenant.Admin.GetAsync($"/clientes/{customerId}/ventas");
        Assert.Equal(sale.Json["id"]!.GetValue<string>(), history.Json["items"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(1, (await tenant.Admin.GetAsync("/clientes?buscar=nunez")).Json["total"]!.GetValue<int>());

        var updated = await tenant.Admin.PutAsync($"/clientes/{customerId}", new { nombre = "José Núñez", telefono = "+573001234567", email = "jose@ejemplo.co" });
        Assert.Equal("jose@ejemplo.co", updated.Json["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_empresa_gets_404_for_our_products_sales_and_customers()
    {
        var (tenant, ids) = await WithFerreteriaAsync();
        var other = await _anonymous.RegisterAsync();
        var customerId = (await tenant.Admin.PostAsync("/clientes", new { nombre = "Cliente", telefono = "+573001112233" })).Json["id"]!.GetValue<string>();
        var saleId = (await tenant.Admin.PostAsync("/ventas", Sale((ids["FER-001"], 1)))).Json["id"]!.GetValue<string>();

        (await other.Admin.GetAsync($"/productos/{ids["FER-001"]}")).AssertProblem(HttpStatusCode.NotFound);
        (await other.Admin.PutAsync($"/productos/{ids["FER-001"]}", new { nombre = "Robado", precio = 1, stock = 0 })).AssertProblem(HttpStatusCode.NotFound);
        (await other.Admin.SendRawAsync(HttpMethod.Delete, $"/productos/{ids["FER-001"]}", "", "application/json")).AssertProblem(HttpStatusCode.NotFound);
        (await other.Admin.GetAsync($"/ventas/{saleId}")).AssertProblem(HttpStatusCode.NotFound);
        (await other.Admin.PostAsync($"/ventas/{saleId}/anular", null)).AssertProblem(HttpStatusCode.NotFound);
        (await other.Admin.GetAsync($"/clientes/{customerId}")).AssertProblem(HttpStatusCode.NotFound);
        (await other.Admin.GetAsync($"/clientes/{customerId}/ventas")).AssertProblem(HttpStatusCode.NotFound);
        (await other.Admin.PutAsync($"/clientes/{customerId}", new { nombre = "X", telefono = "+573001112233" })).AssertProblem(HttpStatusCode.NotFound);
        (await other.Admin.PostAsync("/ventas", Sale((ids["FER-001"], 1)))).AssertProblem(HttpStatusCode.UnprocessableEntity);
        (await other.Admin.PostAsync("/ventas", new { cliente_id = customerId, items = Array.Empty<object>() })).AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, (await other.Admin.GetAsync("/ventas")).Json["total"]!.GetValue<int>());

        Assert.Equal(11, (await tenant.Admin.GetAsync($"/productos/{ids["FER-001"]}")).Json["stock"]!.GetValue<int>());
        Assert.Equal("confirmada", (await tenant.Admin.GetAsync($"/ventas/{saleId}")).Json["estado"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_summary_and_the_csv_report_count_confirmed_sales_per_day()
    {
        var (tenant, ids) = await WithFerreteriaAsync();
        var first = await tenant.Admin.PostAsync("/ventas", Sale((ids["FER-015"], 10)));
        var second = await tenant.Admin.PostAsync("/ventas", Sale((ids["FER-015"], 2), (ids["FER-014"], 1)));
        var annulled = await tenant.Admin.PostAsync("/ventas", Sale((ids["FER-001"], 1)));
        await tenant.Admin.PostAsync($"/ventas/{annulled.Json["id"]!.GetValue<string>()}/anular", null);
        // The days the sales fall on in the empresa's zone, from their own timestamps: right even if midnight
        // in Bogotá passes while the test runs.
        var zone = TimeZoneInfo.FindSystemTimeZoneById((await tenant.Admin.GetAsync("/empresa")).Json["zona_horaria"]!.GetValue<string>());
        string LocalDay(Answer sale) => TimeZoneInfo.ConvertTimeFromUtc(
            DateTimeOffset.Parse(sale.Json["creado_en"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, zone)
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var today = LocalDay(first);
        var lastDay = LocalDay(annulled);
        var expectedDays = new[] { (LocalDay(first), 1), (LocalDay(second), 1) }
            .GroupBy(d => d.Item1).Select(g => (g.Key, g.Count())).OrderBy(d => d.Key).ToList();

        var summary = await tenant.Admin.GetAsync($"/reportes/resumen?desde={today}&hasta={lastDay}");

        Assert.Equal(HttpStatusCode.OK, summary.Status);
        Assert.Equal(2, summary.Json["ventas"]!.GetValue<int>());
        Assert.Equal(32000m * 12 + 6900m, summary.Json["ingresos"]!.GetValue<decimal>());
        Assert.Equal((32000m * 12 + 6900m) / 2, summary.Json["ticket_promedio"]!.GetValue<decimal>());
        var top = summary.Json["productos_top"]![0]!;
        Assert.Equal(("FER-015", 12L), (top["sku"]!.GetValue<string>(), top["cantidad"]!.GetValue<long>()));
        Assert.Equal(expectedDays, summary.Json["por_dia"]!.AsArray().Select(d => (d!["fecha"]!.GetValue<string>(), d["ventas"]!.GetValue<int>())));
        var dayBefore = DateOnly.ParseExact(today, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(-1);
        var yesterday = await tenant.Admin.GetAsync($"/reportes/resumen?hasta={dayBefore:yyyy-MM-dd}");
        Assert.Equal(0, yesterday.Json["ventas"]!.GetValue<int>());
        (await tenant.Admin.GetAsync("/reportes/resumen?desde=ayer")).AssertProblem(HttpStatusCode.BadRequest);

        using var csv = await tenant.Admin.Http.GetAsync($"/reportes/ventas.csv?desde={today}");
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("venta_id,creado_en,estado", lines[0], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, l => l.Contains(",anulada,", StringComparison.Ordinal));
    }
}
