using AgenteVendedor.Language;

namespace AgenteVendedor.Retrieval;

/// <summary>
/// Words that name the same thing in different Latin American countries (or in shop talk and
/// everyday talk), from Language/Data/sinonimos.tsv. A query term brings its groups' other terms
/// along, weighted a little lower.
/// </summary>
public static class Synonyms
{
    private static readonly Dictionary<string, List<string>> ByTerm = Build();

    private static Dictionary<string, List<string>> Build()
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var row in LanguageData.Rows("sinonimos.tsv"))
        {
            if (row.Length < 2)
            {
                continue;
            }

            var stems = row[1].Split('|').Select(p => string.Join(' ', SpanishAnalyzer.Terms(p))).Where(s => s.Length > 0).Distinct().ToList();
            foreach (var stem in stems.Where(s => !s.Contains(' ')))
            {
                if (!map.TryGetValue(stem, out var list))
                {
                    map[stem] = list = [];
                }

                list.AddRange(stems.Where(s => s != stem && !list.Contains(s)));
            }
        }

        return map;
    }

    /// <summary>
    /// The other terms (stemmed) of the term's groups. A synonym of several words brings its last one, the
    /// word that tells it apart ("pantalón vaquero" → "vaquero"): its first is usually a wider thing.
    /// </summary>
    public static IEnumerable<string> For(string stemmedTerm) =>
        ByTerm.TryGetValue(stemmedTerm, out var others) ? others.Select(o => o.Split(' ')[^1]).Distinct() : [];

    /// <summary>Whether two stemmed terms are the same or name the same thing.</summary>
    public static bool Same(string a, string b) => a == b || (ByTerm.TryGetValue(a, out var others) && others.Contains(b));
}
