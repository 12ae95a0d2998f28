using AgenteVendedor.Catalog;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Language;

/// <summary>What is sold in pairs (Language/Data/pares.tsv): "un par de tenis" is one unit, "un par de lijas" two.</summary>
public static class Pairs
{
    private static readonly HashSet<string> Words = LanguageData.Rows("pares.tsv").SelectMany(r => SpanishAnalyzer.Terms(r[0])).ToHashSet(StringComparer.Ordinal);

    public static bool SoldInPairs(Product product) =>
        SpanishAnalyzer.Terms($"{product.Name} {product.Category}").Any(Words.Contains);
}
