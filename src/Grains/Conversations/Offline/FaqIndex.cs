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
        _entries = entries.Select(e => (Widen(SpanishAnalyzer.Terms(e.Question)), Widen(SpanishAnalyzer.Terms(e.Answer)))).ToList();
    }

    public IReadOnlyList<FaqEntry> Entries { get; }

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

        var best = -1;
        var bestScore = 0.0;
        for (var i = 0; i < _entries.Count; i++)
        {
            var (question, answer) = _entries[i];
            var score = stems.Sum(s => question.Contains(s) ? 1.0 : answer.Contains(s) ? 0.5 : 0);
            if (score > bestScore)
            {
                (best, bestScore) = (i, score);
            }
        }

        var needed = faqWords ? 0.5 : Math.Max(1.0, stems.Count * 0.6);
        return bestScore >= needed ? best : -1;
    }
}
