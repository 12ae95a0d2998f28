using AgenteVendedor.Catalog;
using AgenteVendedor.Language;

namespace AgenteVendedor.Retrieval;

/// <summary>
/// Okapi BM25 over stemmed Spanish terms, kept in memory and updated per document. A query is
/// widened before it is scored: a term the catalog does not have is read as the catalog term one
/// slip away (as it sounds, <see cref="Phonetic"/>), and each term brings its synonyms and the
/// needs it meets, all weighted below the query's own terms. Equal scores rank by the products' text
/// (then id), so a catalog ranks the same however and whenever it was imported.
/// </summary>
public sealed class Bm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double CorrectionWeight = 0.9;
    private const double SynonymWeight = 0.6;
    private const double NeedWeight = 0.7;
    private const double SoundWeight = 0.5;

    private readonly Dictionary<string, Dictionary<Guid, int>> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (List<string> Terms, int Length)> _documents = [];
    private readonly SoundIndex _sounds = new();
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
                _sounds.Add(group.Key);
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
                    _sounds.Remove(term);
                }
            }
        }
    }

    /// <summary>The catalog term a query term stands for: itself when the catalog has it, else the most used term one slip away, else null.</summary>
    public string? Known(string term)
    {
        if (_postings.ContainsKey(term))
        {
            return term;
        }

        // Numbers and very short words are what they are: "12" is no typo of "13".
        if (term.Length < 4 || term.Any(char.IsDigit) || Lexicon.Spanish.Knows(term))
        {
            return null;
        }

        // Short words keep their last vowel in the stem ("uebo"), the catalog's longer ones lose it ("huevo" → "huev").
        var near = _sounds.Near(term);
        if (term.Length == 4 && "aeo".Contains(term[^1]))
        {
            near = near.Concat(_sounds.Near(term[..^1]));
        }

        return near.Where(_postings.ContainsKey).OrderByDescending(t => _postings[t].Count).ThenBy(t => t, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>The weighted terms a query is scored with: its own (or their corrections), their synonyms, the needs they meet.</summary>
    public Dictionary<string, double> Expand(string query) => Widen(query).Weights;

    /// <summary>
    /// The query's terms widened, each with its weight and the concept it stands for: a query word, with
    /// its correction, sound-alikes and synonyms, is one concept; the needs it meets are one more.
    /// </summary>
    private (Dictionary<string, double> Weights, Dictionary<string, int> Concepts, int Count) Widen(string query)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        var concepts = new Dictionary<string, int>(StringComparer.Ordinal);
        var own = new List<string>();
        foreach (var word in SpanishAnalyzer.Words(query))
        {
            var term = SpanishAnalyzer.Terms(word) is [var only] ? only : null;
            // Talk the catalog does not hold ("ola", "nesecito") is not searched for.
            if (term is null || (!_postings.ContainsKey(term) && (Lexicon.Spanish.Knows(word) || Lexicon.Spanish.SoundsLike(word) is not null)))
            {
                continue;
            }

            var known = Known(term);
            var weight = known == term ? 1.0 : CorrectionWeight;
            var used = known ?? term;
            if (!concepts.ContainsKey(used))
            {
                concepts[used] = own.Count;
                own.Add(used);
            }

            weights[used] = Math.Max(weights.GetValueOrDefault(used), weight);
        }

        void Add(string term, double weight, int concept)
        {
            if (weights.TryAdd(term, weight))
            {
                concepts[term] = concept;
            }
        }

        // A known word also brings the catalog's words that sound like it ("shampu" beside "shampoo"), below the synonyms.
        foreach (var term in own)
        {
            if (term.Length >= 5 && !term.Any(char.IsDigit))
            {
                foreach (var alike in _sounds.Near(term).Where(t => t != term && _postings.ContainsKey(t)))
                {
                    Add(alike, SoundWeight, concepts[term]);
                }
            }
        }

        var widened = new HashSet<string>(own, StringComparer.Ordinal);
        foreach (var term in own)
        {
            foreach (var synonym in Synonyms.For(term))
            {
                Add(synonym, SynonymWeight * weights[term], concepts[term]);
                widened.Add(synonym);
            }
        }

        var count = own.Count;
        var offers = Needs.Met(widened, _postings.ContainsKey);
        if (offers.Count > 0)
        {
            var need = count++;
            foreach (var offer in offers)
            {
                Add(offer, NeedWeight, need);
                foreach (var synonym in Synonyms.For(offer))
                {
                    Add(synonym, NeedWeight * SynonymWeight, need);
                }
            }
        }

        return (weights, concepts, count);
    }

    /// <summary>
    /// BM25 over the widened query, times the share of the query's concepts a product meets: "campera de jean"
    /// puts the jean jacket above jackets and above jeans.
    /// </summary>
    public List<(Guid Id, double Score)> Search(string query, int k)
    {
        if (_documents.Count == 0)
        {
            return [];
        }

        var (weights, concepts, count) = Widen(query);
        var averageLength = (double)_totalLength / _documents.Count;
        var scores = new Dictionary<Guid, double>();
        var met = new Dictionary<Guid, HashSet<int>>();
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
                if (!met.TryGetValue(id, out var seen))
                {
                    met[id] = seen = [];
                }

                seen.Add(concepts[term]);
            }
        }

        return scores
            .Select(s => (Id: s.Key, Score: s.Value * met[s.Key].Count / Math.Max(1, count)))
            .OrderByDescending(s => s.Score).ThenBy(s => string.Join(' ', _documents[s.Id].Terms), StringComparer.Ordinal).ThenBy(s => s.Id).Take(k).ToList();
    }

    /// <summary>Whether some product's text has the two terms side by side (stop words aside), in this order.</summary>
    public bool HasPair(string first, string second)
    {
        if (!_postings.TryGetValue(first, out var a) || !_postings.TryGetValue(second, out var b))
        {
            return false;
        }

        var (small, other) = a.Count <= b.Count ? (a, b) : (b, a);
        foreach (var id in small.Keys)
        {
            if (!other.ContainsKey(id))
            {
                continue;
            }

            var terms = _documents[id].Terms;
            for (var i = 0; i + 1 < terms.Count; i++)
            {
                if (terms[i] == first && terms[i + 1] == second)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Which of the text's terms the catalog knows, and which neighbouring ones form a product phrase.</summary>
    public CatalogReading Read(string text)
    {
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        var terms = SpanishAnalyzer.Terms(text);
        var read = new List<string>(terms.Count);
        foreach (var term in terms)
        {
            var found = Known(term);
            if (found is not null)
            {
                known[term] = found;
            }

            read.Add(found ?? term);
        }

        var pairs = new List<string>();
        for (var i = 0; i + 1 < read.Count; i++)
        {
            var joined = SpanishAnalyzer.Stem(terms[i] + terms[i + 1]);
            if (HasPair(read[i], read[i + 1]) || Known(joined) == joined)
            {
                pairs.Add($"{terms[i]} {terms[i + 1]}");
            }
        }

        return new CatalogReading(known, pairs);
    }

    /// <summary>
    /// Terms by how they sound, for spelling slips: each phonetic key and every key with one letter
    /// left out point to the terms, so two keys one edit apart meet in one look-up.
    /// </summary>
    private sealed class SoundIndex
    {
        private readonly Dictionary<string, HashSet<string>> _byKey = new(StringComparer.Ordinal);

        public void Add(string term)
        {
            foreach (var key in KeysOf(term))
            {
                if (!_byKey.TryGetValue(key, out var terms))
                {
                    _byKey[key] = terms = new HashSet<string>(StringComparer.Ordinal);
                }

                terms.Add(term);
            }
        }

        public void Remove(string term)
        {
            foreach (var key in KeysOf(term))
            {
                if (_byKey.TryGetValue(key, out var terms) && terms.Remove(term) && terms.Count == 0)
                {
                    _byKey.Remove(key);
                }
            }
        }

        public IEnumerable<string> Near(string term)
        {
            var key = Phonetic.Key(term);
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var probe in KeysOf(term))
            {
                if (_byKey.TryGetValue(probe, out var terms))
                {
                    found.UnionWith(terms);
                }
            }

            return found.Where(t => Phonetic.Key(t) is var other && (other == key || (key.Length >= 5 && other.Length >= 5 && Phonetic.WithinOneEdit(key, other))));
        }

        private static IEnumerable<string> KeysOf(string term)
        {
            var key = Phonetic.Key(term);
            yield return key;
            if (key.Length >= 5)
            {
                foreach (var deletion in Phonetic.Deletions(key).Distinct())
                {
                    yield return "~" + deletion;
                }
            }

            // A key one letter shorter than a five-letter one still meets its deletions.
            if (key.Length >= 4)
            {
                yield return "~" + key;
            }
        }
    }
}
