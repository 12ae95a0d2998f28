using System.Net;
using AgenteVendedor.Testing;
using Xunit.Abstractions;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// Product choices on WhatsApp: with the products in the shop's Meta catalog they go out as a catalog product_list
/// (the fake checks that each retailer id is in that catalog); otherwise they stay an interactive list.
/// </summary>
public sealed class CatalogOffersTests(WhatsAppCatalogStack stack, ITestOutputHelper output) : IClassFixture<WhatsAppCatalogStack>
{
    private async Task<FakeMessaging.Sent> AskAsync(WhatsAppShop shop, string customer, string text)
    {
        var all = await shop.SayAsync(customer, text);
        Assert.True(all.Count == 1, string.Join("\n", shop.Platforms.RefusedFor(customer).Select(r => $"{r.Status} {r.Reason}\n{r.Body}")) + stack.Stack.Diagnostics());
        var sent = all[0];
        output.WriteLine($"{sent.Body.ToJsonString()}");
        return sent;
    }

    private static string? TypeOf(FakeMessaging.Sent sent) => sent.Body["interactive"]?["type"]?.GetValue<string>();

    [Fact]
    public async Task Products_in_the_meta_catalog_are_offered_as_a_product_list_and_others_as_an_interactive_list()
    {
        var shop = await stack.OpenAsync();
        Assert.Equal(HttpStatusCode.OK, (await shop.PublishAsync()).Status);

        // Both caps and t-shirts are in the Meta catalog: the customer gets them as catalog products.
        var clothes = await AskAsync(shop, WhatsAppShop.NewCustomer(), "¿qué tienen de ropa?");
        Assert.Equal("product_list", TypeOf(clothes));
        var action = clothes.Body["interactive"]!["action"]!;
        Assert.Equal(shop.CatalogId, action["catalog_id"]!.GetValue<string>());
        Assert.Equal(["CAM-1", "GOR-1"], action["sections"]!.AsArray().SelectMany(s => s!["product_items"]!.AsArray())
            .Select(p => p!["product_retailer_id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains("Gorra bordada — $30.000", WhatsAppShop.TextOf(clothes), StringComparison.Ordinal);

        // The notebook has no picture, so Meta does not have it: a list that offers it stays an interactive list.
        var everything = await AskAsync(shop, WhatsAppShop.NewCustomer(), "¿qué productos tienen?");
        Assert.Equal("list", TypeOf(everything));
        Assert.Contains("Libreta de notas", WhatsAppShop.TextOf(everything), StringComparison.Ordinal);
        Assert.Empty(shop.Platforms.Refused);
    }

    [Fact]
    public async Task Without_a_published_catalog_or_a_catalog_id_the_offer_is_an_interactive_list()
    {
        var unpublished = await stack.OpenAsync();
        Assert.Equal("list", TypeOf(await AskAsync(unpublished, WhatsAppShop.NewCustomer(), "¿qué tienen de ropa?")));

        var withoutCatalog = await stack.OpenAsync(withCatalog: false);
        Assert.Equal("list", TypeOf(await AskAsync(withoutCatalog, WhatsAppShop.NewCustomer(), "¿qué tienen de ropa?")));

        // Published, then the catalog_id is taken off the channel: no more product lists.
        Assert.Equal(HttpStatusCode.OK, (await withoutCatalog.ConfigureAsync(withoutCatalog.CatalogId)).Status);
        Assert.Equal(HttpStatusCode.OK, (await withoutCatalog.PublishAsync()).Status);
        Assert.Equal("product_list", TypeOf(await AskAsync(withoutCatalog, WhatsAppShop.NewCustomer(), "¿qué tienen de ropa?")));
        Assert.Equal(HttpStatusCode.OK, (await withoutCatalog.ConfigureAsync(null)).Status);
        Assert.Equal("list", TypeOf(await AskAsync(withoutCatalog, WhatsAppShop.NewCustomer(), "¿qué tienen de ropa?")));
        Assert.Empty(unpublished.Platforms.Refused);
    }
}
