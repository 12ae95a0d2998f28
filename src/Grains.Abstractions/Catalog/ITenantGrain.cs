using AgenteVendedor.Common;
using AgenteVendedor.Sales;

namespace AgenteVendedor.Catalog;

/// <summary>
/// One per empresa (key: empresa id): the single writer of its catalog and stock. Serves reads
/// from memory; every change is written through to PostgreSQL in one transaction, then applied.
/// </summary>
public interface ITenantGrain : IGrainWithGuidKey
{
    [Orleans.Concurrency.ReadOnly]
    Task<Product?> GetProductAsync(Guid productId);

    [Orleans.Concurrency.ReadOnly]
    Task<Page<Product>> ListProductsAsync(ProductQuery query);

    /// <summary>The products with these skus (compared as skus are), active or not; unknown skus are left out.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<Product>> FindBySkuAsync(IReadOnlyList<string> skus);

    /// <summary>Creates a product when <paramref name="productId"/> is null, else replaces its fields.</summary>
    Task<Outcome<Product>> SaveProductAsync(Actor actor, Guid? productId, ProductInput input);

    Task<Outcome<Product>> DeactivateProductAsync(Actor actor, Guid productId);

    Task<ImportOutcome> ImportCatalogAsync(Actor actor, ImportRequest request);

    /// <summary>
    /// Interleaves with other calls so that concurrent orders share one database transaction
    /// (group commit); the grain serialises the writes themselves.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<Outcome<Order>> PlaceOrderAsync(Actor actor, OrderRequest request);

    /// <summary>POST /ventas/{id}/anular: the move to anulada, refused as a conflict when the order already is.</summary>
    Task<Outcome<Order>> AnnulOrderAsync(Actor actor, Guid orderId);

    /// <summary>
    /// Moves an order to <paramref name="status"/> by the lifecycle's rules (anulada returns its stock); an order
    /// already in that estado is answered as it is, unchanged.
    /// </summary>
    Task<Outcome<Order>> ChangeOrderStatusAsync(Actor actor, Guid orderId, string status, string? note);
}

/// <summary>
/// The catalog's search role of the same TenantGrain activation (key: empresa id), which owns the
/// FAISS and BM25 indexes next to the catalog they index.
/// </summary>
public interface ICatalogSearchGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Hybrid search (vectors + BM25) over active products, best first; price and stock as of now.
    /// Refused as Unavailable while the vectors cannot be computed (the embedder is down).
    /// </summary>
    [Orleans.Concurrency.ReadOnly]
    Task<Outcome<IReadOnlyList<ProductMatch>>> SearchProductsAsync(string query, int k);

    /// <summary>Which of a customer's words the catalog knows (see <see cref="CatalogReading"/>); empty while the index cannot be built.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<CatalogReading> ReadAsync(string text);
}
