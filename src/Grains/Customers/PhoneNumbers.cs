using System.Globalization;
using System.Text.RegularExpressions;

namespace AgenteVendedor.Customers;

/// <summary>Brings a phone number as people type it to E.164, using the empresa's country when no + is given.</summary>
public static partial class PhoneNumbers
{
    private static readonly Dictionary<string, string> CallingCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CO"] = "57", ["MX"] = "52", ["PE"] = "51", ["CL"] = "56", ["AR"] = "54", ["EC"] = "593", ["VE"] = "58",
        ["BO"] = "591", ["PY"] = "595", ["UY"] = "598", ["GT"] = "502", ["SV"] = "503", ["HN"] = "504", ["NI"] = "505",
        ["CR"] = "506", ["PA"] = "507", ["DO"] = "1", ["PR"] = "1", ["US"] = "1", ["CU"] = "53", ["ES"] = "34", ["BR"] = "55",
    };

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    /// <summary>"300 123 4567" in es-CO → "+573001234567"; null when it cannot be an E.164 number.</summary>
    public static string? ToE164(string input, string culture)
    {
        var digits = new string(input.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = "+" + digits[2..];
        }

        if (!digits.StartsWith('+'))
        {
            var region = RegionOf(culture);
            if (region is null || !CallingCodes.TryGetValue(region, out var code))
            {
                return null;
            }

            var national = digits.TrimStart('0');
            digits = national.StartsWith(code, StringComparison.Ordinal) && national.Length > 10 ? "+" + national : $"+{code}{national}";
        }

        return E164().IsMatch(digits) ? digits : null;
    }

    private static string? RegionOf(string culture)
    {
        try
        {
            return new RegionInfo(CultureInfo.GetCultureInfo(culture).Name).TwoLetterISORegionName;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
