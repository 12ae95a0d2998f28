using System.Globalization;
using System.Text.RegularExpressions;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// "el grande", "el más pequeño": within a family that differs by its measure (375 ml / 700 ml, 4 kg /
/// 22.7 kg), the product with the largest or smallest one, read from the names.
/// </summary>
public static partial class Sizes
{
    private static readonly HashSet<string> Large = ["grand", "grandot", "mayor"];
    private static readonly HashSet<string> Small = ["pequen", "pequennit", "chic", "chiquit", "mini", "menor"];

    /// <summary>+1 for "grande", -1 for "pequeño"/"chico", 0 when the words say no size.</summary>
    public static int Wanted(IEnumerable<string> stems)
    {
        var list = stems.ToList();
        return list.Any(Large.Contains) ? 1 : list.Any(Small.Contains) ? -1 : 0;
    }

    /// <summary>The one product of largest (or smallest) measure, when every candidate has one in its name and they differ.</summary>
    public static T? Pick<T>(IReadOnlyList<T> candidates, Func<T, string> name, int wanted) where T : class
    {
        if (wanted == 0 || candidates.Count < 2)
        {
            return null;
        }

        var measured = candidates.Select(c => (Item: c, Size: Measure(name(c)))).ToList();
        if (measured.Any(m => m.Size is null) || measured.Select(m => m.Size).Distinct().Count() < measured.Count)
        {
            return null;
        }

        return (wanted > 0 ? measured.MaxBy(m => m.Size) : measured.MinBy(m => m.Size)).Item;
    }

    /// <summary>The measure in a product name, in a common base (ml and g; l and kg times 1000), or null.</summary>
    public static decimal? Measure(string name)
    {
        var match = MeasureIn().Match(SpanishAnalyzer.Fold(name));
        if (!match.Success || !decimal.TryParse(match.Groups["n"].Value.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return match.Groups["u"].Value is "l" or "lt" or "litro" or "litros" or "kg" or "kilo" or "kilos" ? n * 1000 : n;
    }

    [GeneratedRegex(@"(?<n>\d+(?:[.,]\d+)?)\s*(?<u>ml|l|lt|litros?|g|gr|kg|kilos?|oz|cm|m|mah|gb|tb|pulgadas|w)\b")]
    private static partial Regex MeasureIn();
}
