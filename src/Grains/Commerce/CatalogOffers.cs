using System.Text.Json.Nodes;
using AgenteVendedor.Channels;
using AgenteVendedor.Conversations;
using AgenteVendedor.Text;

namespace AgenteVendedor.Commerce;

/// <summary>
/// Turns a WhatsApp reply that offers several products into a catalog <c>product_list</c> when the WhatsApp channel has a
/// catalog_id and every offered product is in that Meta catalog — its sku was sent by a push Meta accepted and not
/// deleted since (whatsapp_catalog_items). Otherwise the reply keeps its interactive list.
/// </summary>
public sealed class CatalogOffers(CatalogItemsStore items)
{
    // Meta: at most 10 sections and 30 products; a section title at most 24 characters, the header at most 60.
    private const int MaxSections = 10;
    private const int MaxItems = 30;

    public async Task<OutgoingMessage> OfferAsync(Guid tenantId, IReadOnlyList<ProductCard> products, OutgoingMessage message)
    {
        if (message.Choices is not { Count: > 1 } || products.Count < 2)
        {
            return message;
        }

        var shown = products.Take(MaxItems).ToList();
        if (await items.OfferableAsync(tenantId, shown.Select(p => p.Sku).ToList()) is not { } offerable
            || shown.Any(p => !offerable.Skus.Contains(p.Sku, StringComparer.Ordinal)))
        {
            return message;
        }

        return message with { Catalog = new CatalogList(offerable.CatalogId, [("Productos", shown.Select(p => p.Sku).ToList())]) };
    }

    /// <summary>The <c>interactive</c> object of a product_list message.</summary>
    public static JsonObject Interactive(CatalogList list, string text) => new()
    {
        ["type"] = "product_list",
        ["header"] = new JsonObject { ["type"] = "text", ["text"] = "Productos" },
        ["body"] = new JsonObject { ["text"] = TextFit.Cut(text, 1024) },
        ["action"] = new JsonObject
        {
            ["catalog_id"] = list.CatalogId,
            ["sections"] = new JsonArray([.. list.Sections.Take(MaxSections).Select(s => (JsonNode)new JsonObject
            {
                ["title"] = TextFit.Cut(s.Title, 24),
                ["product_items"] = new JsonArray([.. s.RetailerIds.Take(MaxItems).Select(id => (JsonNode)new JsonObject { ["product_retailer_id"] = id })]),
            })]),
        },
    };
}
