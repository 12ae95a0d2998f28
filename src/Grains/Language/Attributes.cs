using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Language;

/// <summary>Words that describe a product rather than name one — colors, sizes, measures (the colores, tallas and medidas groups of sinonimos.tsv).</summary>
public static class Attributes
{
    private static readonly HashSet<string> Stems = LanguageData.Rows("sinonimos.tsv")
        .Where(r => r.Length >= 2 && r[0] is "colores" or "tallas" or "medidas")
        .SelectMany(r => r[1].Split('|')).SelectMany(SpanishAnalyzer.Terms).ToHashSet(StringComparer.Ordinal);

    public static bool Describes(string stem) => Stems.Contains(stem) || stem.Length == 1;
}
