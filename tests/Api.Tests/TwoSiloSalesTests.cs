using System.Net;
using System.Text;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>Buyers arrive through both silos' gateways at once; the empresa's stock is one.</summary>
public sealed class TwoSiloSalesTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 2);
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Two_hundred_concurrent_buyers_for_fifty_units_buy_exactly_fifty()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        var tenant = await anonymous.RegisterAsync();
        var import = await tenant.Admin.ImportAsync(CsvFiles.Utf8(CsvFiles.Header, "HOT-1,Producto escaso,Oferta,50000,50,Ofertas"));
        Assert.Equal(HttpStatusCode.OK, import.Status);
        var productId = (await tenant.Admin.GetAsync("/productos?buscar=HOT-1")).Json["items"]![0]!["id"]!.GetValue<string>();
        var buyers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => anonymous.SignInAsync(tenant.AdminEmail)));

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            buyers[i % buyers.Length].PostAsync("/ventas", new { items = new[] { new { producto_id = productId, cantidad = 1 } } })));

        Assert.Equal(50, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.Equal(150, answers.Count(a => a.Status == HttpStatusCode.Conflict));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Equal(0, a.Json["disponible"]!.GetValue<int>()));
        Assert.Equal(0, (await tenant.Admin.GetAsync($"/productos/{productId}")).Json["stock"]!.GetValue<int>());
        Assert.Equal(50, (await tenant.Admin.GetAsync("/reportes/resumen")).Json["ventas"]!.GetValue<int>());
    }
}
