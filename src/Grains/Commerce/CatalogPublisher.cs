using System.Globalization;
using System.Text.Json.Nodes;
using AgenteVendedor.Catalog;
using AgenteVendedor.Channels;
using AgenteVendedor.Common;
using AgenteVendedor.Tenancy;
using AgenteVendedor.Text;

namespace AgenteVendedor.Commerce;

/// <summary>How many items one catalog batch carries (WhatsApp:CatalogBatchSize; Meta takes up to 5,000 and advises under 3,000).</summary>
public sealed record CatalogPushOptions(int BatchSize);

/// <summary>
/// POST /canales/whatsapp/catalogo: plans the push from the catalog as it is now (nothing sent yet), then sends it in
/// bounded batches. Every active product Meta would accept is sent as an UPDATE (which creates it when missing):
/// retailer id = sku, price in the empresa's currency, availability from stock, image from imagen_url. Products Meta
/// would refuse (no image, no price) are listed as skipped; what the catalog holds from earlier pushes and this push
/// does not send (an inactive product, one that lost its image, a changed sku) is deleted.
/// </summary>
public sealed class CatalogPublisher(MetaCatalogClient meta, CatalogItemsStore items, CatalogPushOptions options)
{
    private const int PageSize = 500;

    public async Task<Outcome<CatalogPushSummary>> PublishAsync(IGrainFactory grains, Guid tenantId, Actor actor, ChannelRecord channel, string accessToken)
    {
        if (channel.CatalogId is not { } catalogId)
        {
            return Problem.Conflict("El canal de WhatsApp no tiene catalog_id: configúralo con PUT /canales/whatsapp antes de publicar el catálogo.");
        }

        var profile = await grains.GetGrain<IEmpresaGrain>(tenantId).GetProfileAsync();
        if (profile is null)
        {
            return Problem.NotFound("La empresa no existe.");
        }

        var products = await AllProductsAsync(grains.GetGrain<ITenantGrain>(tenantId));
        var plan = Plan(products, await items.PublishedAsync(tenantId, catalogId), profile);
        var sent = new List<(string Sku, Guid ProductId)>();
        var skipped = new List<SkippedProduct>(plan.Skipped);
        var deleted = new List<string>();
        var batches = 0;
        Problem? failure = null;
        foreach (var batch in plan.Requests.Chunk(Math.Max(1, options.BatchSize)))
        {
            var answer = await meta.SendAsync(catalogId, accessToken, batch.Select(r => r.Request).ToList());
            if (answer.Failure is { } failed)
            {
                failure = failed;
                break;
            }

            batches++;
            foreach (var request in batch)
            {
                if (answer.Refused.TryGetValue(request.Sku, out var why))
                {
                    if (request.ProductId is not null)
                    {
                        skipped.Add(new SkippedProduct(request.Sku, $"Meta lo rechazó: {why}"));
                    }
                }
                else if (request.ProductId is { } productId)
                {
                    sent.Add((request.Sku, productId));
                }
                else
                {
                    deleted.Add(request.Sku);
                }
            }
        }

        var summary = new CatalogPushSummary(sent.Count, skipped, deleted.Count, batches);
        if (batches > 0 || failure is null)
        {
            // What got through before a failing batch is in Meta's catalog: remembered, so a retry repeats nothing harmful.
            await items.RecordPushAsync(tenantId, actor, channel.Id, catalogId, sent, deleted, summary, complete: failure is null);
        }

        return failure is null ? summary : failure;
    }

    private static async Task<List<Product>> AllProductsAsync(ITenantGrain tenant)
    {
        var all = new List<Product>();
        for (var page = 1; ; page++)
        {
            var read = await tenant.ListProductsAsync(new ProductQuery(null, null, null, null, page, PageSize));
            all.AddRange(read.Items);
            if (read.Items.Count < PageSize)
            {
                return all;
            }
        }
    }

    /// <summary>One item request: ProductId is null for a DELETE.</summary>
    internal sealed record ItemRequest(string Sku, Guid? ProductId, JsonObject Request);

    internal sealed record PushPlan(IReadOnlyList<ItemRequest> Requests, IReadOnlyList<SkippedProduct> Skipped);

    internal static PushPlan Plan(IReadOnlyList<Product> products, IReadOnlyList<string> published, EmpresaProfile profile)
    {
        var requests = new List<ItemRequest>();
        var skipped = new List<SkippedProduct>();
        var sending = new HashSet<string>(StringComparer.Ordinal);
        foreach (var product in products.Where(p => p.Active))
        {
            if (RefusalOf(product) is { } reason)
            {
                skipped.Add(new SkippedProduct(product.Sku, reason));
                continue;
            }

            sending.Add(product.Sku);
            requests.Add(new ItemRequest(product.Sku, product.Id, new JsonObject
            {
                ["method"] = "UPDATE",
                ["data"] = ItemOf(product, profile),
            }));
        }

        foreach (var sku in published.Where(s => !sending.Contains(s)).Order(StringComparer.Ordinal))
        {
            requests.Add(new ItemRequest(sku, null, new JsonObject { ["method"] = "DELETE", ["data"] = new JsonObject { ["id"] = sku } }));
        }

        return new PushPlan(requests, skipped);
    }

    /// <summary>Why Meta would refuse the product as a catalog item, or null: it needs a picture and a price.</summary>
    private static string? RefusalOf(Product product) =>
        product.ImageUrl is null ? "Sin imagen: Meta exige image_link (agrega imagen_url al producto)."
        : product.Price <= 0 ? "Sin precio: Meta exige un precio mayor que cero."
        : null;

    // Meta's fields: title ≤ 200 characters, description ≤ 9,999; price as "<amount> <ISO currency>".
    private static JsonObject ItemOf(Product product, EmpresaProfile profile) => new()
    {
        ["id"] = product.Sku,
        ["title"] = TextFit.Cut(product.Name, 200),
        ["description"] = TextFit.Cut(string.IsNullOrWhiteSpace(product.Description) ? product.Name : product.Description, 5000),
        ["availability"] = product.Stock > 0 ? "in stock" : "out of stock",
        ["condition"] = "new",
        ["price"] = $"{product.Price.ToString("0.00", CultureInfo.InvariantCulture)} {profile.Currency}",
        ["image_link"] = product.ImageUrl,
        ["brand"] = TextFit.Cut(profile.Name, 100),
        ["inventory"] = Math.Max(0, product.Stock),
    };
}
