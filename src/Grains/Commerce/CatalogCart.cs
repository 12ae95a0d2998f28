using System.Globalization;
using System.Text.Json;
using AgenteVendedor.Channels;

namespace AgenteVendedor.Commerce;

/// <summary>
/// A cart the customer sent from the WhatsApp catalog (an <c>order</c> message): the skus and units asked for, read from
/// the inbox row's payload <c>order{catalog_id, text, product_items[{product_retailer_id, quantity, item_price, currency}]}</c>.
/// Only skus and quantities are read — prices come from our catalog, never from <c>item_price</c>. Bounded: at most
/// <see cref="MaxLines"/> lines (more are counted in <see cref="Ignored"/>), quantities 1 to <see cref="MaxQuantity"/>.
/// </summary>
public sealed record CatalogCart(IReadOnlyList<(string Sku, int Quantity)> Lines, int Ignored)
{
    public const int MaxLines = 30;
    public const int MaxQuantity = 1000;

    /// <summary>products.sku is varchar(64).</summary>
    private const int MaxSkuLength = 64;

    /// <summary>The last catalog cart among the messages of a batch, or null when none of them is one.</summary>
    public static CatalogCart? FromBatch(IEnumerable<(string Kind, string? Payload)> messages) =>
        messages.LastOrDefault(m => m.Kind == MessageKinds.Order) is { Kind: not null } order ? Read(order.Payload) : null;

    /// <summary>The order object's lines; an unreadable payload is an empty cart (the customer is told it could not be read).</summary>
    public static CatalogCart Read(string? payload)
    {
        var lines = new List<(string Sku, int Quantity)>();
        var ignored = 0;
        if (payload is null)
        {
            return new CatalogCart(lines, 0);
        }

        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("product_items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return new CatalogCart(lines, 0);
            }

            foreach (var item in items.EnumerateArray())
            {
                if (SkuOf(item) is not { } sku || QuantityOf(item) is not { } quantity)
                {
                    ignored++;
                    continue;
                }

                var at = lines.FindIndex(l => string.Equals(l.Sku, sku, StringComparison.OrdinalIgnoreCase));
                if (at >= 0)
                {
                    lines[at] = (lines[at].Sku, Math.Min(MaxQuantity, lines[at].Quantity + quantity));
                }
                else if (lines.Count < MaxLines)
                {
                    lines.Add((sku, quantity));
                }
                else
                {
                    ignored++;
                }
            }
        }
        catch (JsonException)
        {
            return new CatalogCart([], 0);
        }

        return new CatalogCart(lines, ignored);
    }

    /// <summary>What the transcript shows for the message: "Pedido desde el catálogo: 2 × TA-1, 1 × MA-1".</summary>
    public static string TextOf(JsonElement order)
    {
        var cart = Read(order.ValueKind == JsonValueKind.Object ? order.GetRawText() : null);
        return cart.Lines.Count == 0
            ? "Pedido desde el catálogo (sin productos legibles)"
            : "Pedido desde el catálogo: " + string.Join(", ", cart.Lines.Select(l => $"{l.Quantity.ToString(CultureInfo.InvariantCulture)} × {l.Sku}"));
    }

    private static string? SkuOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("product_retailer_id", out var id) && id.ValueKind == JsonValueKind.String
            && id.GetString() is { Length: > 0 and <= MaxSkuLength } sku && sku.Trim().Length > 0
            ? sku.Trim()
            : null;

    // Meta sends quantity as a number; a string of digits is taken too.
    private static int? QuantityOf(JsonElement item)
    {
        if (!item.TryGetProperty("quantity", out var q))
        {
            return null;
        }

        long value;
        if (q.ValueKind == JsonValueKind.Number && q.TryGetInt64(out value)) { }
        else if (q.ValueKind == JsonValueKind.String && long.TryParse(q.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value)) { }
        else
        {
            return null;
        }

        return value < 1 ? null : (int)Math.Min(value, MaxQuantity);
    }
}
