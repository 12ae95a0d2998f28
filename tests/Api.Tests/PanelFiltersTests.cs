using System.Net;
using System.Text;

namespace AgenteVendedor.Api.Tests;

/// <summary>The filters the staff panel uses: sales by channel, products with little stock.</summary>
[Collection(ApiCollection.Name)]
public sealed class PanelFiltersTests(ApiFixture fixture)
{
    private readonly ApiClient _anonymous = fixture.Anonymous();

    [Fact]
    public async Task Sales_filter_by_the_channel_they_came_by()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var hammer = (await tenant.Admin.GetAsync("/productos?buscar=martillo")).Json["items"]![0]!["id"]!.GetValue<string>();
        foreach (var channel in new[] { "whatsapp", "whatsapp", "tienda", "api" })
        {
            Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/ventas", new
            {
                items = new[] { new { producto_id = hammer, cantidad = 1 } },
                canal = channel,
            })).Status);
        }

        var whatsapp = await tenant.Admin.GetAsync("/ventas?canal=whatsapp");
        Assert.Equal(2, whatsapp.Json["total"]!.GetValue<long>());
        Assert.All(whatsapp.Json["items"]!.AsArray(), s => Assert.Equal("whatsapp", s!["canal"]!.GetValue<string>()));
        Assert.Equal(1, (await tenant.Admin.GetAsync("/ventas?canal=TIENDA")).Json["total"]!.GetValue<long>());
        Assert.Equal(0, (await tenant.Admin.GetAsync("/ventas?canal=telegram")).Json["total"]!.GetValue<long>());
        Assert.Equal(4, (await tenant.Admin.GetAsync("/ventas")).Json["total"]!.GetValue<long>());

        var bad = await tenant.Admin.GetAsync("/ventas?canal=" + Uri.EscapeDataString("whats app; drop"));
        bad.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(bad.ErrorsFor("canal"));
    }

    [Fact]
    public async Task Products_with_little_stock_are_listed_by_stock_maximo()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(CsvFiles.Utf8(CsvFiles.Header,
            "LOW-1,Sierra circular,Sierra,279000,4,Herramientas",
            "LOW-2,Sanitario,Sanitario blanco,389000,0,Baños",
            "LOW-3,Carretilla,Carretilla 90 litros,219000,5,Construcción",
            "OK-1,Martillo,Martillo de uña,32900,40,Herramientas"), "reemplazar")).Status);

        var low = await tenant.Admin.GetAsync("/productos?stock_maximo=5");
        Assert.Equal(["LOW-3", "LOW-2", "LOW-1"], low.Json["items"]!.AsArray().Select(p => p!["sku"]!.GetValue<string>()).OrderDescending());
        Assert.Equal(["LOW-2"], (await tenant.Admin.GetAsync("/productos?stock_maximo=0")).Json["items"]!.AsArray().Select(p => p!["sku"]!.GetValue<string>()));

        var bad = await tenant.Admin.GetAsync("/productos?stock_maximo=-1");
        bad.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(bad.ErrorsFor("stock_maximo"));
    }
}
