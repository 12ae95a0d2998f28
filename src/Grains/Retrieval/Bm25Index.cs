namespace AgenteVendedor.Retrieval;

/// <summary>
/// Okapi BM25 over stemmed Spanish terms, kept in memory and updated per document. A query's
/// synonyms count with a lower weight than its own terms. Documents are products by id, so equal
/// scores rank the same however the index was built.
/// </summary>
public sealed class Bm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double SynonymWeight = 0.6;

    private readonly Dictionary<string, Dictionary<Guid, int>> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (List<string> Terms, int Length)> _documents = [];
    private long _totalLength;

    public int Count => _documents.Count;

    public void Upsert(Guid id, string text)
    {
        Remove(id);
        var terms = SpanishAnalyzer.Terms(text);
        foreach (var group in terms.GroupBy(t => t))
        {
            if (!_postings.TryGetValue(group.Key, out var postings))
            {
                _postings[group.Key] = postings = [];
            }

            postings[id] = group.Count();
        }

        _documents[id] = (terms, terms.Count);
        _totalLength += terms.Count;
    }

    public void Remove(Guid id)
    {
        if (!_documents.Remove(id, out var document))
        {
            return;
        }

        _totalLength -= document.Length;
        foreach (var term in document.Terms.Distinct())
        {
            if (_postings.TryGetValue(term, out var postings))
            {
                postings.Remove(id);
                if (postings.Count == 0)
                {
                    _postings.Remove(term);
                }
            }
        }
    }

    public List<(Guid Id, double Score)> Search(string query, int k)
    {
        if (_documents.Count == 0)
        {
            return [];
        }

        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in SpanishAnalyzer.Terms(query))
        {
            weights[term] = 1.0;
            foreach (var synonym in Synonyms.For(term))
            {
                weights.TryAdd(synonym, SynonymWeight);
            }
        }

        var averageLength = (double)_totalLength / _documents.Count;
        var scores = new Dictionary<Guid, double>();
        foreach (var (term, weight) in weights)
        {
            if (!_postings.TryGetValue(term, out var postings))
            {
                continue;
            }

            var idf = Math.Log(1 + ((_documents.Count - postings.Count + 0.5) / (postings.Count + 0.5)));
            foreach (var (id, tf) in postings)
            {
                var length = _documents[id].Length;
                var score = weight * idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B + (B * length / averageLength))));
                scores[id] = scores.GetValueOrDefault(id) + score;
            }
        }

        return scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).Take(k).Select(s => (s.Key, s.Value)).ToList();
    }
}
