namespace AgenteVendedor.Retrieval;

/// <summary>
/// One empresa's search structures, owned by its TenantGrain: a FAISS index of product vectors
/// and a BM25 index of their words, over active products only, fused by reciprocal rank.
/// </summary>
public sealed class ProductSearchIndex : IDisposable
{
    // Reciprocal rank fusion constant: the usual 60 keeps one list's top hit from drowning the other.
    private const int FusionK = 60;

    // Created with the first vector: its length is the model's dimension.
    private FaissIndex? _vectors;
    private readonly Bm25Index _words = new();
    private readonly Dictionary<Guid, long> _numberOf = [];
    private readonly Dictionary<long, Guid> _productOf = [];
    private long _next = 1;

    public int Count => _numberOf.Count;

    /// <summary>A hit: the fused score, and what each half said (rank 0 = not found there).</summary>
    public sealed record Hit(Guid ProductId, double Score, double Cosine, int LexicalRank);

    public void Upsert(Guid productId, string text, float[] vector)
    {
        Remove(productId);
        var number = _next++;
        _numberOf[productId] = number;
        _productOf[number] = productId;
        _vectors ??= new FaissIndex(vector.Length);
        _vectors.Add(vector, [number]);
        _words.Upsert(number, text);
    }

    public void Remove(Guid productId)
    {
        if (_numberOf.Remove(productId, out var number))
        {
            _productOf.Remove(number);
            _vectors?.Remove([number]);
            _words.Remove(number);
        }
    }

    public List<Hit> Search(string query, float[] queryVector, int k)
    {
        if (_numberOf.Count == 0 || _vectors is null)
        {
            return [];
        }

        var candidates = Math.Max(k * 4, 50);
        var semantic = _vectors.Search(queryVector, Math.Min(candidates, _numberOf.Count));
        var lexical = _words.Search(query, candidates);
        var fused = new Dictionary<long, (double Score, double Cosine, int LexicalRank)>();
        for (var i = 0; i < semantic.Length; i++)
        {
            var (id, cosine) = semantic[i];
            fused[id] = (1.0 / (FusionK + i + 1), cosine, 0);
        }

        for (var i = 0; i < lexical.Count; i++)
        {
            var id = lexical[i].Id;
            var (score, cosine, _) = fused.GetValueOrDefault(id);
            fused[id] = (score + (1.0 / (FusionK + i + 1)), cosine, i + 1);
        }

        return fused
            .OrderByDescending(f => f.Value.Score)
            .ThenBy(f => f.Key)
            .Take(k)
            .Select(f => new Hit(_productOf[f.Key], f.Value.Score, f.Value.Cosine, f.Value.LexicalRank))
            .ToList();
    }

    public void Dispose() => _vectors?.Dispose();
}
