using AgenteVendedor.Retrieval;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Catalog;

/// <summary>
/// A TenantGrain's search index and the task that builds it: built on the first search, kept in
/// step with product writes, dropped with the activation. A build that fails is not kept — the
/// next search tries again — and keeping the index in step never fails the write that asked for
/// it: when that cannot be done the index is dropped, and the next search rebuilds it.
/// </summary>
/// <remarks>
/// Searches are read-only grain calls and may interleave with each other (they share one build),
/// never with product writes; so the index is not changed under a search that is using it.
/// </remarks>
public sealed class CatalogSearch(ProductVectors vectors, ILogger logger) : IDisposable
{
    private Task<ProductSearchIndex>? _index;

    /// <summary>The hits for a query, or null when the vectors cannot be had now (the embedder or the database failed; logged).</summary>
    public async Task<List<ProductSearchIndex.Hit>?> SearchAsync(Guid tenantId, string query, int k, Func<IReadOnlyList<Product>> activeProducts)
    {
        var building = _index ??= BuildAsync(activeProducts());
        try
        {
            var index = await building;
            var queryVector = await vectors.ForQueryAsync(query);
            return index.Search(query, queryVector, k);
        }
        catch (Exception e)
        {
            if (building.IsFaulted && ReferenceEquals(_index, building))
            {
                _index = null;
            }

            logger.LogWarning(e, "Search for empresa {TenantId} failed ({Stage}); it is tried again on the next search",
                tenantId, building.IsFaulted ? "building the index" : "embedding the query");
            return null;
        }
    }

    /// <summary>What the catalog knows of a text's words; empty when the index cannot be built now (logged by the search that builds it).</summary>
    public async Task<CatalogReading> ReadAsync(string text, Func<IReadOnlyList<Product>> activeProducts)
    {
        var building = _index ??= BuildAsync(activeProducts());
        try
        {
            return (await building).Read(text);
        }
        catch (Exception)
        {
            if (building.IsFaulted && ReferenceEquals(_index, building))
            {
                _index = null;
            }

            return CatalogReading.Empty;
        }
    }

    /// <summary>
    /// After a committed write: brings a built index in line with the changed products. Only
    /// products whose indexed text changed are embedded again, and all changes go in one batch.
    /// Never throws: on failure the index is dropped (logged) and the next search rebuilds it.
    /// </summary>
    public async Task UpdateAsync(Guid tenantId, IEnumerable<Product> changed)
    {
        if (_index is not { } current)
        {
            return;
        }

        if (!current.IsCompletedSuccessfully)
        {
            // A build that failed, or one still running from a snapshot older than this write.
            _index = null;
            return;
        }

        var index = current.Result;
        var gone = new List<Guid>();
        var stale = new List<(Product Product, string Text)>();
        foreach (var product in changed)
        {
            if (!product.Active)
            {
                if (index.Contains(product.Id))
                {
                    gone.Add(product.Id);
                }
            }
            else if (ProductVectors.ContentOf(product) is var text && !index.Holds(product.Id, text))
            {
                stale.Add((product, text));
            }
        }

        if (gone.Count == 0 && stale.Count == 0)
        {
            return;
        }

        try
        {
            var found = stale.Count == 0 ? new Dictionary<Guid, float[]>() : await vectors.ForProductsAsync(stale.Select(s => s.Product).ToList());
            index.Apply(gone, stale.Select(s => new ProductSearchIndex.Entry(s.Product.Id, s.Text, found[s.Product.Id])).ToList());
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Search index of empresa {TenantId} dropped: {Count} changed product(s) could not be indexed; the next search rebuilds it",
                tenantId, gone.Count + stale.Count);
            Dispose();
        }
    }

    private async Task<ProductSearchIndex> BuildAsync(IReadOnlyList<Product> active)
    {
        var found = await vectors.ForProductsAsync(active);
        var index = new ProductSearchIndex();
        try
        {
            index.Apply([], active.Select(p => new ProductSearchIndex.Entry(p.Id, ProductVectors.ContentOf(p), found[p.Id])).ToList());
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Drops the index (if one was built); the next search builds a new one.</summary>
    public void Dispose()
    {
        if (_index is { IsCompletedSuccessfully: true } built)
        {
            built.Result.Dispose();
        }

        _index = null;
    }
}
