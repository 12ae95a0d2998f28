using AgenteVendedor.Catalog;

namespace AgenteVendedor.Retrieval;

/// <summary>
/// One empresa's search structures, owned by its TenantGrain: a FAISS index of product vectors
/// and a BM25 index of their words, over active products only, fused by reciprocal rank.
/// Changes come in batches: removing from a flat FAISS index compacts all of it, so one removal
/// per product would make a large import quadratic.
/// </summary>
public sealed class ProductSearchIndex : IDisposable
{
    // Reciprocal rank fusion constant: the usual 60 keeps one list's top hit from drowning the other.
    private const int FusionK = 60;

    // The words (with their corrections, synonyms and needs) know more than the offline vectors: they count double.
    private const double LexicalWeight = 4.0;

    // Created with the first vector: its length is the model's dimension.
    private FaissIndex? _vectors;
    private readonly Bm25Index _words = new();
    private readonly Dictionary<Guid, Indexed> _indexed = [];
    private readonly Dictionary<long, Guid> _productOf = [];
    private long _next = 1;

    public int Count => _indexed.Count;

    /// <summary>A hit: the fused score, and what each half said (rank 0 = not found there).</summary>
    public sealed record Hit(Guid ProductId, double Score, double Cosine, int LexicalRank, double LexicalScore);

    /// <summary>A product to index: its text (ProductVectors.ContentOf) and that text's vector.</summary>
    public sealed record Entry(Guid ProductId, string Text, float[] Vector);

    // The FAISS id a product got, and the text it was indexed with.
    private readonly record struct Indexed(long Number, string Text);

    /// <summary>Whether the product is indexed with exactly this text (then re-indexing it would change nothing).</summary>
    public bool Holds(Guid productId, string text) =>
        _indexed.TryGetValue(productId, out var indexed) && string.Equals(indexed.Text, text, StringComparison.Ordinal);

    public bool Contains(Guid productId) => _indexed.ContainsKey(productId);

    /// <summary>
    /// Takes <paramref name="removed"/> out and puts <paramref name="upserted"/> in (replacing what
    /// they had): one FAISS removal and one FAISS addition, whatever the number of products.
    /// If it throws, the index is inconsistent and must be dropped.
    /// </summary>
    public void Apply(IEnumerable<Guid> removed, IReadOnlyCollection<Entry> upserted)
    {
        // The same product twice is indexed once, with its last entry: FAISS would keep both vectors.
        var entries = new Dictionary<Guid, Entry>(upserted.Count);
        foreach (var entry in upserted)
        {
            entries[entry.ProductId] = entry;
        }

        var gone = new List<long>();
        foreach (var productId in removed.Concat(entries.Keys))
        {
            if (_indexed.Remove(productId, out var old))
            {
                gone.Add(old.Number);
                _productOf.Remove(old.Number);
                _words.Remove(productId);
            }
        }

        if (gone.Count > 0)
        {
            _vectors?.Remove(gone.ToArray());
        }

        if (entries.Count == 0)
        {
            return;
        }

        var dimension = entries.Values.First().Vector.Length;
        _vectors ??= new FaissIndex(dimension);
        var vectors = new float[entries.Count * dimension];
        var numbers = new long[entries.Count];
        var i = 0;
        foreach (var entry in entries.Values)
        {
            if (entry.Vector.Length != dimension)
            {
                throw new ArgumentException("Every vector of one index must have the same dimension.", nameof(upserted));
            }

            var number = _next++;
            entry.Vector.CopyTo(vectors, i * dimension);
            numbers[i++] = number;
            _indexed[entry.ProductId] = new Indexed(number, entry.Text);
            _productOf[number] = entry.ProductId;
            _words.Upsert(entry.ProductId, entry.Text);
        }

        _vectors.Add(vectors, numbers);
    }

    public List<Hit> Search(string query, float[] queryVector, int k)
    {
        if (_indexed.Count == 0 || _vectors is null)
        {
            return [];
        }

        var candidates = Math.Max(k * 4, 50);
        // Equal cosines are ordered by product, not by FAISS's storage order, which depends on the index's history.
        var semantic = _vectors.Search(queryVector, Math.Min(candidates, _indexed.Count))
            .Select(h => (ProductId: _productOf[h.Id], h.Score))
            .OrderByDescending(h => h.Score)
            .ThenBy(h => _indexed[h.ProductId].Text, StringComparer.Ordinal)
            .ThenBy(h => h.ProductId)
            .ToList();
        var lexical = _words.Search(query, candidates);
        var fused = new Dictionary<Guid, (double Score, double Cosine, int LexicalRank, double LexicalScore)>();
        for (var i = 0; i < semantic.Count; i++)
        {
            var (id, cosine) = semantic[i];
            fused[id] = (1.0 / (FusionK + i + 1), cosine, 0, 0);
        }

        for (var i = 0; i < lexical.Count; i++)
        {
            var (id, words) = lexical[i];
            var (score, cosine, _, _) = fused.GetValueOrDefault(id);
            fused[id] = (score + (LexicalWeight / (FusionK + i + 1)), cosine, i + 1, words);
        }

        return fused
            .OrderByDescending(f => f.Value.Score)
            .ThenBy(f => _indexed[f.Key].Text, StringComparer.Ordinal)
            .ThenBy(f => f.Key)
            .Take(k)
            .Select(f => new Hit(f.Key, f.Value.Score, f.Value.Cosine, f.Value.LexicalRank, f.Value.LexicalScore))
            .ToList();
    }

    /// <summary>Which of the text's terms the catalog knows, and which neighbouring ones form a product phrase.</summary>
    public CatalogReading Read(string text) => _words.Read(text);

    public void Dispose() => _vectors?.Dispose();
}
