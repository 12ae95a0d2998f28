using System.Net;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>The WhatsApp catalog's stack: Graph API fake, default settings (abandoned carts after 2 h: never in these tests).</summary>
public sealed class WhatsAppCatalogStack : WhatsAppStack;

/// <summary>
/// POST /canales/whatsapp/catalogo through the real Api and silo, against the fake Graph API's items_batch endpoint:
/// what Meta receives (retailer id = sku, price, availability from stock, image), what the answer says, the 409s and 503.
/// </summary>
public sealed class WhatsAppCatalogTests(WhatsAppCatalogStack stack) : IClassFixture<WhatsAppCatalogStack>
{
    [Fact]
    public async Task Publishing_pushes_the_active_products_to_the_meta_catalog_and_deletes_what_no_longer_belongs()
    {
        var shop = await stack.OpenAsync();
        var channels = await shop.Tenant.Admin.GetAsync("/canales");
        Assert.Equal(shop.CatalogId, channels.Json.AsArray().Single(c => c!["tipo"]!.GetValue<string>() == "whatsapp")!["catalog_id"]?.GetValue<string>());

        var pushed = await shop.PublishAsync();
        Assert.True(pushed.Status == HttpStatusCode.OK, pushed.Body);
        Assert.Equal(3, pushed.Json["enviados"]!.GetValue<int>());
        Assert.Equal(0, pushed.Json["eliminados"]!.GetValue<int>());
        Assert.Equal(1, pushed.Json["lotes"]!.GetValue<int>());
        var skipped = Assert.Single(pushed.Json["omitidos"]!.AsArray())!;
        Assert.Equal("LIB-1", skipped["sku"]!.GetValue<string>());
        Assert.Contains("imagen", skipped["motivo"]!.GetValue<string>(), StringComparison.Ordinal);

        // What Meta received: one batch with the channel's token, one UPDATE per product, in Meta's formats.
        var batch = Assert.Single(shop.Platforms.CatalogBatches, b => b.CatalogId == shop.CatalogId);
        Assert.Equal($"Bearer {shop.AccessToken}", batch.Authorization);
        Assert.Equal("PRODUCT_ITEM", batch.Body["item_type"]!.GetValue<string>());
        Assert.All(batch.Body["requests"]!.AsArray(), r => Assert.Equal("UPDATE", r!["method"]!.GetValue<string>()));
        var items = shop.Platforms.CatalogItems(shop.CatalogId);
        Assert.Equal(["CAM-1", "GOR-1", "TAZ-1"], items.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("Taza de cerámica", "15000.00 COP", "in stock", $"{WhatsAppShop.Photo}taza.jpg"), Fields(items["TAZ-1"]));
        Assert.Equal(("Camiseta estampada", "45000.00 COP", "out of stock", $"{WhatsAppShop.Photo}camiseta.jpg"), Fields(items["CAM-1"]));
        Assert.Equal(3, items["GOR-1"]["inventory"]!.GetValue<int>());

        // The cap is taken off sale and the notebook gets a picture: the next push adds the notebook and deletes the cap.
        var cap = await shop.ProductAsync("GOR-1");
        await SaveAsync(shop, cap, active: false, image: cap["imagen_url"]!.GetValue<string>());
        await SaveAsync(shop, await shop.ProductAsync("LIB-1"), active: true, image: $"{WhatsAppShop.Photo}libreta.jpg");
        var again = await shop.PublishAsync();
        Assert.True(again.Status == HttpStatusCode.OK, again.Body);
        Assert.Equal((3, 1, 0), (again.Json["enviados"]!.GetValue<int>(), again.Json["eliminados"]!.GetValue<int>(), again.Json["omitidos"]!.AsArray().Count));
        Assert.Equal(["CAM-1", "LIB-1", "TAZ-1"], shop.Platforms.CatalogItems(shop.CatalogId).Keys.Order(StringComparer.Ordinal));
        var second = shop.Platforms.CatalogBatches.Where(b => b.CatalogId == shop.CatalogId).Last();
        Assert.Contains(second.Body["requests"]!.AsArray(), r => r!["method"]!.GetValue<string>() == "DELETE" && r["data"]!["id"]!.GetValue<string>() == "GOR-1");

        // The push is in the audit log.
        var audit = await shop.Tenant.Admin.GetAsync("/auditoria?accion=publicar_catalogo");
        Assert.True(audit.Status == HttpStatusCode.OK, audit.Body);
        Assert.Contains("publicar_catalogo", audit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_without_catalog_id_or_without_whatsapp_is_a_409_and_meta_failing_is_a_503()
    {
        var shop = await stack.OpenAsync(withCatalog: false);
        var noCatalog = await shop.PublishAsync();
        noCatalog.AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains("catalog_id", noCatalog.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(shop.Platforms.CatalogBatches, b => b.CatalogId == shop.CatalogId);

        var noWhatsApp = await (await stack.Anonymous.RegisterAsync()).Admin.PostAsync("/canales/whatsapp/catalogo", null);
        noWhatsApp.AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains("WhatsApp", noWhatsApp.Detail, StringComparison.Ordinal);

        var badId = await shop.ConfigureAsync("catalogo-1");
        badId.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(badId.ErrorsFor("catalog_id"));

        Assert.Equal(HttpStatusCode.OK, (await shop.ConfigureAsync(shop.CatalogId)).Status);
        shop.Platforms.FailNextCatalogBatch(500, FakeMessaging.MetaError(2, "An unexpected error has occurred. Please retry your request later."));
        var down = await shop.PublishAsync();
        down.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Meta", down.Detail, StringComparison.Ordinal);
        Assert.Empty(shop.Platforms.CatalogItems(shop.CatalogId));

        // A token Meta does not take for the catalog: Meta's refusal is told, not a 5xx of ours.
        shop.Platforms.RegisterCatalog(shop.CatalogId, "otro-token");
        var refused = await shop.PublishAsync();
        refused.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("catalog_management", refused.Detail, StringComparison.Ordinal);
        shop.Platforms.RegisterCatalog(shop.CatalogId, shop.AccessToken);
        var ok = await shop.PublishAsync();
        Assert.True(ok.Status == HttpStatusCode.OK, ok.Body);
        Assert.Equal(3, shop.Platforms.CatalogItems(shop.CatalogId).Count);
    }

    private static (string, string, string, string) Fields(JsonObject item) => (item["title"]!.GetValue<string>(),
        item["price"]!.GetValue<string>(), item["availability"]!.GetValue<string>(), item["image_link"]!.GetValue<string>());

    // PUT replaces every field: the product as it is, with the given image and activo.
    private static async Task SaveAsync(WhatsAppShop shop, JsonNode product, bool active, string image)
    {
        var saved = await shop.Tenant.Admin.PutAsync($"/productos/{product["id"]}", new
        {
            sku = product["sku"]!.GetValue<string>(), nombre = product["nombre"]!.GetValue<string>(),
            descripcion = product["descripcion"]!.GetValue<string>(), precio = product["precio"]!.GetValue<decimal>(),
            stock = product["stock"]!.GetValue<int>(), categoria = product["categoria"]!.GetValue<string>(), activo = active, imagen_url = image,
        });
        Assert.True(saved.Status == HttpStatusCode.OK, saved.Body);
    }
}
