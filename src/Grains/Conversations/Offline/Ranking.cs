using AgenteVendedor.Catalog;
using AgenteVendedor.Language;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// Which search hits a customer's words really ask for. Hits are ranked by how many of the words
/// (as the catalog knows them: corrected, or through a synonym) the product's name, category and
/// keywords hold — its description counting half — and then by their word score; a list keeps
/// only the hits close to the best, so a short word never lists unrelated products.
/// </summary>
public static class Ranking
{
    /// <param name="Head">The product's name starts with the query's first word ("mouse …" for "mouse logitech", not "combo … mouse").</param>
    public sealed record Ranked(Product Product, double Coverage, double Score, bool Head = false);

    public static List<Ranked> Rank(IReadOnlyList<ProductMatch> matches, string query, CatalogReading reading, decimal? maxPrice)
    {
        var stems = SpanishAnalyzer.Terms(query).Select(s => reading.Known.GetValueOrDefault(s, s)).Distinct().ToList();
        var lexical = matches.Where(m => m.Lexical && (maxPrice is null || m.Product.Price <= maxPrice)).ToList();
        // A need ("se me fue la luz") is covered by the products it calls for.
        var offers = Needs.Met(stems.ToHashSet(StringComparer.Ordinal), s => reading.Known.ContainsKey(s));
        var ranked = lexical.Select(m => new Ranked(m.Product, Math.Max(Coverage(m.Product, stems), NeedCoverage(m.Product, offers)), m.WordScore, HeadOf(m.Product, stems)))
            .OrderByDescending(r => Math.Round(r.Coverage, 3)).ThenByDescending(r => r.Head).ThenByDescending(r => r.Score).ToList();
        if (ranked.Count == 0)
        {
            return [];
        }

        var best = ranked[0];
        var bestScore = ranked.Max(r => r.Score);
        return ranked.Where(r => r.Coverage >= best.Coverage * 0.75 && r.Score >= bestScore * 0.4).ToList();
    }

    /// <summary>The hits when none shares a word with the query (the closest by meaning), for "lo más parecido".</summary>
    public static List<Product> Closest(IReadOnlyList<ProductMatch> matches, decimal? maxPrice) =>
        matches.Where(m => maxPrice is null || m.Product.Price <= maxPrice).Select(m => m.Product).Take(3).ToList();

    /// <summary>The one product the words name, when one stands out; null when the customer has to choose.</summary>
    public static Product? Single(List<Ranked> ranked)
    {
        if (ranked.Count == 1)
        {
            return ranked[0].Product;
        }

        if (ranked.Count == 0)
        {
            return null;
        }

        var (first, second) = (ranked[0], ranked[1]);
        if (first.Coverage > second.Coverage + 0.01 && first.Coverage >= 0.99)
        {
            return first.Product;
        }

        // Of two that fit every word, the one that is that thing: "mouse logitech" is the mouse, not the keyboard combo.
        if (first.Coverage >= 0.99 && first.Head && !second.Head && ranked.Skip(1).All(r => !r.Head || r.Coverage < first.Coverage - 0.01))
        {
            return first.Product;
        }

        return first.Coverage >= second.Coverage && first.Score >= second.Score * 1.35 && first.Coverage >= 0.99 ? first.Product : null;
    }

    private static bool HeadOf(Product product, List<string> stems) =>
        stems.Count > 0 && SpanishAnalyzer.Terms(product.Name).FirstOrDefault() is { } first && Synonyms.Same(stems[0], first);

    private static double NeedCoverage(Product product, HashSet<string> offers) =>
        offers.Count > 0 && ProductView.Of(product).Terms.Any(t => offers.Contains(t)) ? 1.0 : 0;

    private static double Coverage(Product product, List<string> stems)
    {
        if (stems.Count == 0)
        {
            return 0;
        }

        // The first word is usually what the thing is ("cama mediana", "collar de nylon"): it weighs double.
        var view = ProductView.Of(product);
        var sum = 0.0;
        var total = 0.0;
        for (var i = 0; i < stems.Count; i++)
        {
            var weight = i == 0 && stems.Count is > 1 and <= 3 ? 2.0 : 1.0;
            total += weight;
            if (Matches(view.Terms, stems[i]))
            {
                sum += weight;
            }
            else if (Matches(view.DescriptionTerms, stems[i]))
            {
                sum += weight / 2;
            }
        }

        return sum / total;
    }

    private static bool Matches(IReadOnlyList<string> terms, string stem) =>
        terms.Any(t => Synonyms.Same(stem, t) || (stem.Length >= 4 && !stem.Any(char.IsDigit) && Phonetic.Near(stem, t)));
}
