using AgenteVendedor.Retrieval;
using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// The empresa's frequent questions, for retrieval: a customer's words are scored against each
/// entry's question (and, less, its answer), synonyms counting; the best entry answers when the
/// words meet it well enough.
/// </summary>
public sealed class FaqIndex
{
    private readonly List<(HashSet<string> Question, HashSet<string> Answer)> _entries;

    public FaqIndex(IReadOnlyList<FaqEntry> entries)
    {
        Entries = entries;
        _entries = entries.Select(e => (Widen(Stems(e.Question)), Widen(Stems(e.Answer)))).ToList();
    }

    public IReadOnlyList<FaqEntry> Entries { get; }

    // Articles and prepositions say nothing of a question; "cuánto", "cuesta", "hora" do, though search drops them.
    private static readonly HashSet<string> Tiny = ["de", "del", "la", "las", "el", "los", "un", "una", "y", "o", "a", "en", "que", "se", "me", "te", "le", "lo", "su", "mi", "por", "con", "al", "es"];

    private static IEnumerable<string> Stems(string text) =>
        SpanishAnalyzer.Words(text).Where(w => !Tiny.Contains(w) && w.Length >= 2).Select(SpanishAnalyzer.Stem);

    private static HashSet<string> Widen(IEnumerable<string> terms)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            set.Add(term);
            set.UnionWith(Synonyms.For(term));
        }

        return set;
    }

    /// <summary>The entry that answers these words, or -1. With a FAQ word in them ("horario", "nequi") one shared word is enough.</summary>
    public int Best(IReadOnlyList<string> stems, bool faqWords)
    {
        if (stems.Count == 0 || _entries.Count == 0)
        {
            return -1;
        }

        // A word most entries share ("pedido", "tienda") tells less than one only one entry has ("domicilio").
        double Rarity(string s)
        {
            var df = _entries.Count(e => e.Question.Contains(s) || e.Answer.Contains(s));
            return df == 0 ? 0 : Math.Log(1 + (_entries.Count / (double)df));
        }

        var best = -1;
        var bestScore = 0.0;
        var weights = stems.Distinct().ToDictionary(s => s, Rarity);
        var top = weights.Values.DefaultIfEmpty(0).Max();
        for (var i = 0; i < _entries.Count; i++)
        {
            var (question, answer) = _entries[i];
            var score = weights.Sum(w => (question.Contains(w.Key) ? 1.0 : answer.Contains(w.Key) ? 0.6 : 0) * w.Value / Math.Max(top, 1e-9));
            if (score > bestScore)
            {
                (best, bestScore) = (i, score);
            }
        }

        var needed = faqWords ? 0.5 : Math.Max(1.0, weights.Count * 0.4);
        return bestScore >= needed ? best : -1;
    }
}
