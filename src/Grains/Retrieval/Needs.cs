using AgenteVendedor.Language;

namespace AgenteVendedor.Retrieval;

/// <summary>
/// From a need or situation a customer describes ("se fue la luz", "mi perro bota mucho pelo") to the
/// product words a shop assistant would offer, from Language/Data/necesidades.tsv. A need is met
/// when every content word of its phrase is in the query (in any order). An empresa adds its own
/// needs as keywords of its products (palabras_clave), which the search indexes.
/// </summary>
public static class Needs
{
    private sealed record Need(string[] Phrase, string[] Offers);

    private static readonly List<Need> All = Load();

    private static List<Need> Load()
    {
        var needs = new List<Need>();
        foreach (var row in LanguageData.Rows("necesidades.tsv"))
        {
            if (row.Length < 3)
            {
                continue;
            }

            var phrase = SpanishAnalyzer.Terms(row[1]).Distinct().ToArray();
            var offers = row[2].Split('|').SelectMany(SpanishAnalyzer.Terms).Distinct().ToArray();
            if (phrase.Length > 0 && offers.Length > 0)
            {
                needs.Add(new Need(phrase, offers));
            }
        }

        return needs;
    }

    /// <summary>The product terms that the needs the query's terms meet call for (not the query's own terms).</summary>
    public static HashSet<string> Met(IReadOnlyCollection<string> queryTerms, Func<string, bool>? inCatalog = null)
    {
        var offers = new HashSet<string>(StringComparer.Ordinal);
        var terms = queryTerms as HashSet<string> ?? new HashSet<string>(queryTerms, StringComparer.Ordinal);
        foreach (var need in All)
        {
            // Half the phrase's words or more ("fuga" of "hay una fuga de agua"), among them one that names a
            // situation, not a product of the catalog: "gato" alone names cat products, not a need.
            var present = need.Phrase.Where(terms.Contains).ToList();
            var situational = inCatalog is null ? present : present.Where(t => !inCatalog(t)).ToList();
            if (present.Count * 2 >= need.Phrase.Length && situational.Count > 0)
            {
                offers.UnionWith(need.Offers);
            }
        }

        offers.ExceptWith(terms);
        return offers;
    }
}
