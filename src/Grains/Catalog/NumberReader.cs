using System.Globalization;
using System.Text.RegularExpressions;

namespace AgenteVendedor.Catalog;

/// <summary>
/// Reads numbers as people write them in a spreadsheet: plain (2899000, 189900.50) or in the
/// empresa's culture (es-CO: 2.899.000, 189.900,50). When a value fits both, the culture wins.
/// </summary>
public sealed partial class NumberReader
{
    private readonly Regex _grouped;
    private readonly Regex _cultureDecimal;
    private readonly string _group;
    private readonly string _decimal;

    public NumberReader(CultureInfo culture)
    {
        _group = culture.NumberFormat.NumberGroupSeparator;
        _decimal = culture.NumberFormat.NumberDecimalSeparator;
        var g = Regex.Escape(_group);
        var d = Regex.Escape(_decimal);
        _grouped = new Regex($@"^-?\d{{1,3}}({g}\d{{3}})+({d}\d+)?$", RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _cultureDecimal = new Regex($@"^-?\d+{d}\d+$", RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex Plain();

    [GeneratedRegex(@"^-?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex EnglishGrouped();

    // What people put around a number that is not part of it: currency sign and spaces.
    private static readonly System.Buffers.SearchValues<char> Decorations = System.Buffers.SearchValues.Create("$ \t\u00A0\u202F");

    public bool TryRead(string? raw, out decimal value)
    {
        value = 0;
        if (raw is null)
        {
            return false;
        }

        var text = raw.AsSpan().ContainsAny(Decorations) ? new string(raw.Where(c => !char.IsWhiteSpace(c) && c != '$').ToArray()) : raw;
        if (text.Length == 0 || text.Length > 40)
        {
            return false;
        }

        string invariant;
        if (_grouped.IsMatch(text) || (_decimal != "." && _cultureDecimal.IsMatch(text)))
        {
            invariant = text.Replace(_group, string.Empty, StringComparison.Ordinal).Replace(_decimal, ".", StringComparison.Ordinal);
        }
        else if (Plain().IsMatch(text))
        {
            invariant = text;
        }
        else if (EnglishGrouped().IsMatch(text))
        {
            invariant = text.Replace(",", string.Empty, StringComparison.Ordinal);
        }
        else
        {
            return false;
        }

        return decimal.TryParse(invariant, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }
}
