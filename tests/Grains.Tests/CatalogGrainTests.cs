using AgenteVendedor.Accounts;
using AgenteVendedor.Catalog;
using AgenteVendedor.Common;
using AgenteVendedor.Sales;
using Dapper;

namespace AgenteVendedor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CatalogGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private const string Header = "sku,nombre,descripcion,precio,stock,categoria,activo";

    private static byte[] Csv(params string[] lines) => System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

    private static Task<ImportOutcome> ImportAsync(ITenantGrain tenant, SignedInUser admin, ImportMode mode, params string[] lines) =>
        tenant.ImportCatalogAsync(admin.AsAdmin(), new ImportRequest(mode, Csv(lines)));

    private async Task<(SignedInUser Admin, ITenantGrain Tenant)> EmpresaWithCatalogAsync(params string[] rows)
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var tenant = _grains.GetGrain<ITenantGrain>(admin.EmpresaId);
        if (rows.Length > 0)
        {
            var outcome = await ImportAsync(tenant, admin, ImportMode.Replace, [Header, .. rows]);
            Assert.Empty(outcome.Errors);
        }

        return (admin, tenant);
    }

    private static async Task<Product> BySkuAsync(ITenantGrain tenant, string sku) =>
        (await tenant.ListProductsAsync(new ProductQuery(sku, null, null, null, 1, 10))).Items.Single(p => p.Sku == sku);

    [Fact]
    public async Task Replace_mode_deactivates_what_the_file_leaves_out_and_update_mode_keeps_it()
    {
        var (admin, tenant) = await EmpresaWithCatalogAsync("A-1,Martillo,d,32900,10,H,si", "B-2,Serrucho,d,25000,5,H,si");

        var update = await ImportAsync(tenant, admin, ImportMode.Update, Header, "C-3,Nivel,d,29900,7,H,si");
        Assert.Equal(new ImportSummary(ImportMode.Update, 1, 1, 0, 0, 0), update.Summary);
        Assert.True((await BySkuAsync(tenant, "A-1")).Active);

        var replace = await ImportAsync(tenant, admin, ImportMode.Replace, Header, "a-1,Martillo,d,33900,10,H,si", "C-3,Nivel,d,29900,7,H,si");
        Assert.Equal(new ImportSummary(ImportMode.Replace, 2, 0, 1, 1, 1), replace.Summary);
        var saw = await BySkuAsync(tenant, "B-2");
        Assert.Equal((false, 0), (saw.Active, saw.Stock));
        Assert.Equal(33900m, (await BySkuAsync(tenant, "a-1")).Price);
    }

    [Fact]
    public async Task A_bad_import_reports_every_bad_row_and_changes_nothing()
    {
        var (admin, tenant) = await EmpresaWithCatalogAsync("A-1,Martillo,d,32900,10,H,si");
        var before = await tenant.ListProductsAsync(new ProductQuery(null, null, null, null, 1, 50));

        var outcome = await ImportAsync(tenant, admin, ImportMode.Replace,
            Header,
            "A-1,Martillo,d,0,10,H,si",
            "B-2, ,d,1000,1,H,si",
            "C-3,Nivel,d,100,-2,H,si",
            "D-4,Llave,d,\"99,999\",1,H,si",
            "d-4,Llave repetida,d,100,1,H,si",
            "E-5,Bien,d,100,1,H,si");

        Assert.Null(outcome.Summary);
        Assert.Equal([(2, "precio"), (3, "nombre"), (4, "stock"), (5, "precio"), (6, "sku")],
            outcome.Errors.Select(e => (e.Row, e.Column!)));
        Assert.Contains("fila 5", outcome.Errors.Single(e => e.Row == 6).Message, StringComparison.Ordinal);
        Assert.Equal(before.Items, (await tenant.ListProductsAsync(new ProductQuery(null, null, null, null, 1, 50))).Items);
    }

    [Fact]
    public async Task Without_a_sku_column_rows_match_by_name_and_new_products_get_a_generated_sku()
    {
        var (admin, tenant) = await EmpresaWithCatalogAsync();
        await ImportAsync(tenant, admin, ImportMode.Update, "nombre,descripcion,precio,stock", "Taladro Percutor 650W,d,189900,12", "Pulidora angular,d,159000,6");

        var again = await ImportAsync(tenant, admin, ImportMode.Update, "nombre,descripcion,precio,stock", "  taladro  percutor 650w ,d,179900,12");

        Assert.Equal(new ImportSummary(ImportMode.Update, 1, 0, 1, 0, 0), again.Summary);
        var drill = await BySkuAsync(tenant, "TALADRO-PERCUTOR-650W");
        Assert.Equal(179900m, drill.Price);
        Assert.Equal(2, (await tenant.ListProductsAsync(new ProductQuery(null, null, null, null, 1, 50))).Total);
    }

    [Fact]
    public async Task Products_are_created_updated_soft_deleted_and_searched_without_accents()
    {
        var (admin, tenant) = await EmpresaWithCatalogAsync();
        var created = Scenario.Ok(await tenant.SaveProductAsync(admin.AsAdmin(), null,
            new ProductInput(null, "Pintura vinilo blanco galón", "Látex lavable", 64900, 50, "Pinturas", true)));
        Assert.Equal("PINTURA-VINILO-BLANCO-GALON", created.Sku);

        var duplicate = await tenant.SaveProductAsync(admin.AsAdmin(), null,
            new ProductInput("pintura-vinilo-blanco-galon", "Otra", "", 1000, 1, null, true));
        Assert.Equal(ProblemKind.Conflict, duplicate.Problem?.Kind);

        var invalid = await tenant.SaveProductAsync(admin.AsAdmin(), created.Id, new ProductInput(null, "", "", -5, -1, null, true));
        Assert.Equal(["nombre", "precio", "stock"], invalid.Problem!.Errors!.Select(e => e.Field));

        var updated = Scenario.Ok(await tenant.SaveProductAsync(admin.AsAdmin(), created.Id,
            new ProductInput(null, "Pintura vinilo blanco galón", "Látex lavable", 69900, 45, "Pinturas", true)));
        Assert.Equal((created.Sku, 69900m, 45), (updated.Sku, updated.Price, updated.Stock));

        Assert.Single((await tenant.ListProductsAsync(new ProductQuery("GALON", null, null, null, 1, 10))).Items);
        Assert.Single((await tenant.ListProductsAsync(new ProductQuery(null, "pinturas", true, true, 1, 10))).Items);

        var deleted = Scenario.Ok(await tenant.DeactivateProductAsync(admin.AsAdmin(), created.Id));
        Assert.False(deleted.Active);
        Assert.Empty((await tenant.ListProductsAsync(new ProductQuery(null, null, true, null, 1, 10))).Items);
    }

    [Fact]
    public async Task Concurrent_buyers_on_both_silos_never_oversell()
    {
        var (admin, tenant) = await EmpresaWithCatalogAsync("HOT-1,Producto escaso,d,10000,50,H,si");
        var product = await BySkuAsync(tenant, "HOT-1");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            tenant.PlaceOrderAsync(admin.AsAdmin(), new OrderRequest(null, [new OrderLine(product.Id, 1)], "api", null))));

        Assert.Equal(50, attempts.Count(a => a.Succeeded));
        Assert.All(attempts.Where(a => !a.Succeeded), a => Assert.Equal(0, a.Problem!.Shortage!.Available));
        Assert.Equal(0, (await tenant.GetProductAsync(product.Id))!.Stock);
        await using var connection = await fixture.Database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT stock FROM products WHERE id = @Id", new { product.Id }));
        Assert.Equal(50, await connection.ExecuteScalarAsync<int>(
            "SELECT coalesce(sum(quantity), 0)::int FROM order_items WHERE product_id = @Id", new { product.Id }));
    }

    [Fact]
    public async Task An_order_takes_prices_from_the_catalog_and_annulling_it_returns_the_stock()
    {
        var (admin, tenant) = await EmpresaWithCatalogAsync("A-1,Martillo,d,32900,10,H,si", "B-2,Brocha,d,6900,80,H,si");
        var hammer = await BySkuAsync(tenant, "A-1");
        var brush = await BySkuAsync(tenant, "B-2");

        var order = Scenario.Ok(await tenant.PlaceOrderAsync(admin.AsAdmin(), new OrderRequest(null,
            [new OrderLine(hammer.Id, 2), new OrderLine(brush.Id, 3), new OrderLine(hammer.Id, 1)], "tienda", "mostrador")));

        Assert.Equal(32900m * 3 + 6900m * 3, order.Total);
        Assert.Equal([(hammer.Id, 3, 32900m), (brush.Id, 3, 6900m)], order.Items.Select(i => (i.ProductId, i.Quantity, i.UnitPrice)));
        Assert.Equal(7, (await tenant.GetProductAsync(hammer.Id))!.Stock);

        var annulled = Scenario.Ok(await tenant.AnnulOrderAsync(admin.AsAdmin(), order.Id));
        Assert.Equal(OrderStatus.Annulled, annulled.Status);
        Assert.Equal(10, (await tenant.GetProductAsync(hammer.Id))!.Stock);
        Assert.Equal(80, (await tenant.GetProductAsync(brush.Id))!.Stock);
        Assert.Equal(ProblemKind.Conflict, (await tenant.AnnulOrderAsync(admin.AsAdmin(), order.Id)).Problem?.Kind);
    }

    [Fact]
    public async Task Inactive_or_foreign_products_cannot_be_sold()
    {
        var (admin, tenant) = await EmpresaWithCatalogAsync("A-1,Martillo,d,32900,10,H,no");
        var (_, other) = await EmpresaWithCatalogAsync("Z-9,Ajeno,d,1000,10,H,si");
        var inactive = await BySkuAsync(tenant, "A-1");
        var foreign = await BySkuAsync(other, "Z-9");

        var outcome = await tenant.PlaceOrderAsync(admin.AsAdmin(), new OrderRequest(null,
            [new OrderLine(inactive.Id, 1), new OrderLine(foreign.Id, 1)], "api", null));

        Assert.Equal(ProblemKind.Validation, outcome.Problem?.Kind);
        Assert.Equal(2, outcome.Problem!.Errors!.Length);
        Assert.Equal(10, (await other.GetProductAsync(foreign.Id))!.Stock);
        Assert.Null(await tenant.GetProductAsync(foreign.Id));
    }
}
