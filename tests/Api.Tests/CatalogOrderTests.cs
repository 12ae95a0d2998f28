using System.Net;
using AgenteVendedor.Testing;
using Xunit.Abstractions;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// A cart sent from the WhatsApp catalog (Meta's <c>order</c> message) through the signed webhook: priced from our catalog,
/// never from the message's item_price; stock-checked; confirmed by the customer; placed as a sale (GET /ventas) with the
/// stock decremented. What cannot be sold is said, and nothing is placed without the customer's yes.
/// </summary>
public sealed class CatalogOrderTests(WhatsAppCatalogStack stack, ITestOutputHelper output) : IClassFixture<WhatsAppCatalogStack>
{
    private async Task<string> ReplyAsync(Task<List<FakeMessaging.Sent>> said)
    {
        var sent = Assert.Single(await said);
        var text = WhatsAppShop.TextOf(sent);
        output.WriteLine($"agente: {text}");
        return text;
    }

    // The agent's checkout after a catalog cart: it asks for the name, then the address, then shows the summary to confirm.
    private async Task<string> CheckoutAsync(WhatsAppShop shop, string customer, string cartReply)
    {
        Assert.Contains("¿a nombre de quién", cartReply, StringComparison.Ordinal);
        var address = await ReplyAsync(shop.SayAsync(customer, "Marta Ruiz"));
        Assert.Contains("dirección", address, StringComparison.Ordinal);
        var summary = await ReplyAsync(shop.SayAsync(customer, "Carrera 7 # 12-30, Bogotá"));
        Assert.Contains("¿Confirmas el pedido?", summary, StringComparison.Ordinal);
        Assert.Contains("Marta Ruiz", summary, StringComparison.Ordinal);
        return summary;
    }

    [Fact]
    public async Task A_catalog_cart_is_priced_from_our_catalog_confirmed_and_placed_with_the_stock_decremented()
    {
        var shop = await stack.OpenAsync();
        Assert.Equal(HttpStatusCode.OK, (await shop.PublishAsync()).Status);
        var customer = WhatsAppShop.NewCustomer();

        // The customer's WhatsApp shows other prices (an old catalog, a tampered message): ours are what count.
        var cart = await ReplyAsync(shop.OrderAsync(customer, ("TAZ-1", 2, 1000m), ("GOR-1", 1, 1m)));
        Assert.Contains("pedido del catálogo", cart, StringComparison.Ordinal);
        Assert.Contains("Taza de cerámica", cart, StringComparison.Ordinal);
        Assert.Contains("2 × Taza de cerámica: $30.000", cart, StringComparison.Ordinal);
        Assert.Contains("1 × Gorra bordada: $30.000", cart, StringComparison.Ordinal);
        Assert.Contains("Total: $60.000", cart, StringComparison.Ordinal);
        Assert.DoesNotContain("$1.000", cart, StringComparison.Ordinal);
        Assert.DoesNotContain("$2.001", cart, StringComparison.Ordinal);
        Assert.Empty(await shop.SalesAsync());

        var reply = await CheckoutAsync(shop, customer, cart);
        Assert.Contains("$60.000", reply, StringComparison.Ordinal);
        Assert.Equal("button", shop.Platforms.To(customer)[^1].Body["interactive"]?["type"]?.GetValue<string>());
        Assert.Empty(await shop.SalesAsync());

        var done = await ReplyAsync(shop.SayAsync(customer, "sí"));
        Assert.Contains("Pedido confirmado", done, StringComparison.Ordinal);
        var sale = Assert.Single(await shop.SalesAsync());
        Assert.Equal("whatsapp", sale["canal"]!.GetValue<string>());
        Assert.Equal(60000m, sale["total"]!.GetValue<decimal>());
        var detail = (await shop.Tenant.Admin.GetAsync($"/ventas/{sale["id"]}")).Json;
        var lines = detail["items"]!.AsArray().ToDictionary(i => i!["producto_id"]!.GetValue<string>(), i => i!);
        Assert.Equal((2, 15000m), (lines[shop.Ids["TAZ-1"]]["cantidad"]!.GetValue<int>(), lines[shop.Ids["TAZ-1"]]["precio_unitario"]!.GetValue<decimal>()));
        Assert.Equal((1, 30000m), (lines[shop.Ids["GOR-1"]]["cantidad"]!.GetValue<int>(), lines[shop.Ids["GOR-1"]]["precio_unitario"]!.GetValue<decimal>()));
        Assert.Equal(8, (await shop.ProductAsync("TAZ-1"))["stock"]!.GetValue<int>());
        Assert.Equal(2, (await shop.ProductAsync("GOR-1"))["stock"]!.GetValue<int>());

        // The transcript shows the cart as the customer sent it.
        var conversation = (await shop.Tenant.Admin.GetAsync("/conversaciones?canal=whatsapp")).Json["items"]!.AsArray()
            .Single(c => c!["cliente"]!["telefono"]?.GetValue<string>() == "+" + customer)!;
        var transcript = await shop.Tenant.Admin.GetAsync($"/conversaciones/{conversation["id"]}");
        Assert.Contains("Pedido desde el catálogo: 2 × TAZ-1, 1 × GOR-1", transcript.Body, StringComparison.Ordinal);
        Assert.Empty(shop.Platforms.Refused);
    }

    [Fact]
    public async Task Unknown_skus_and_sold_out_products_are_said_and_nothing_is_placed()
    {
        var shop = await stack.OpenAsync();
        var customer = WhatsAppShop.NewCustomer();

        var nothing = await ReplyAsync(shop.OrderAsync(customer, ("XYZ-9", 1, 5000m), ("CAM-1", 1, 45000m)));
        Assert.Contains("XYZ-9: no está en nuestro catálogo", nothing, StringComparison.Ordinal);
        Assert.Contains("Camiseta estampada: agotado", nothing, StringComparison.Ordinal);
        Assert.Contains("No quedó ningún producto", nothing, StringComparison.Ordinal);

        // More caps than there are: the three there are, said plainly; the customer declines and nothing is sold.
        var short_ = await ReplyAsync(shop.OrderAsync(customer, ("GOR-1", 5, 30000m)));
        Assert.Contains("pediste 5 y solo quedan 3", short_, StringComparison.Ordinal);
        var reply = await CheckoutAsync(shop, customer, short_);
        Assert.Contains("$90.000", reply, StringComparison.Ordinal);
        await ReplyAsync(shop.SayAsync(customer, "no"));
        Assert.Empty(await shop.SalesAsync());
        Assert.Equal(3, (await shop.ProductAsync("GOR-1"))["stock"]!.GetValue<int>());
        Assert.Equal(0, (await shop.ProductAsync("CAM-1"))["stock"]!.GetValue<int>());
        Assert.Empty(shop.Platforms.Refused);
    }
}
