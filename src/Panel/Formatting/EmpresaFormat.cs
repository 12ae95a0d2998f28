using System.Globalization;
using AgenteVendedor.Panel.Features.Empresa;

namespace AgenteVendedor.Panel.Formatting;

/// <summary>
/// Money, numbers and dates as the empresa writes them: its culture's separators, its currency's symbol and
/// decimals, and times in its time zone (the Api speaks UTC).
/// </summary>
public sealed class EmpresaFormat
{
    private CultureInfo _culture = CultureInfo.GetCultureInfo("es-CO");
    private NumberFormatInfo _money = MoneyFormat(CultureInfo.GetCultureInfo("es-CO"), "COP");
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    public bool Loaded { get; private set; }

    public string Currency { get; private set; } = "COP";

    public CultureInfo Culture => _culture;

    public TimeZoneInfo TimeZone => _zone;

    public void Use(string? culture, string? currency, string? timeZone)
    {
        _culture = TryCulture(culture) ?? CultureInfo.GetCultureInfo("es-CO");
        Currency = string.IsNullOrWhiteSpace(currency) ? "COP" : currency.Trim().ToUpperInvariant();
        _money = MoneyFormat(_culture, Currency);
        _zone = TryZone(timeZone) ?? TimeZoneInfo.Utc;
        Loaded = true;
    }

    public void Use(EmpresaDatos empresa) => Use(empresa.Cultura, empresa.Moneda, empresa.ZonaHoraria);

    /// <summary>$ 1.250.000 for COP in es-CO; $ 1,250.50 for MXN in es-MX.</summary>
    public string Money(decimal amount) => amount.ToString("C", _money);

    public string Number(long value) => value.ToString("N0", _culture);

    /// <summary>A UTC instant from the Api as a date and time in the empresa's zone.</summary>
    public string DateTime(DateTime utc) => Local(utc).ToString("g", _culture);

    public string Date(DateOnly day) => day.ToString("d", _culture);

    public string ShortDay(DateOnly day) => day.ToString("dd MMM", _culture);

    public DateTime Local(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);

    /// <summary>Today in the empresa's zone: the day its reports count from.</summary>
    public DateOnly Today(TimeProvider? clock = null) =>
        DateOnly.FromDateTime(Local((clock ?? TimeProvider.System).GetUtcNow().UtcDateTime));

    private static NumberFormatInfo MoneyFormat(CultureInfo culture, string currency)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        var (symbol, decimals) = Currencies.Of(currency);
        format.CurrencySymbol = symbol;
        format.CurrencyDecimalDigits = decimals;
        return format;
    }

    private static CultureInfo? TryCulture(string? name)
    {
        try
        {
            return string.IsNullOrWhiteSpace(name) ? null : CultureInfo.GetCultureInfo(name.Trim(), predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    private static TimeZoneInfo? TryZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;
    }
}

/// <summary>
/// How prices are written for the currencies the empresas use: the symbol shoppers expect and the decimals
/// shown (pesos colombianos and chilenos without cents, as tickets print them).
/// </summary>
public static class Currencies
{
    private static readonly Dictionary<string, (string Symbol, int Decimals)> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["COP"] = ("$", 0), ["CLP"] = ("$", 0), ["PYG"] = ("₲", 0), ["ARS"] = ("$", 2), ["MXN"] = ("$", 2),
        ["PEN"] = ("S/", 2), ["USD"] = ("US$", 2), ["EUR"] = ("€", 2), ["BOB"] = ("Bs", 2), ["UYU"] = ("$U", 2),
        ["GTQ"] = ("Q", 2), ["CRC"] = ("₡", 0), ["DOP"] = ("RD$", 2), ["HNL"] = ("L", 2), ["NIO"] = ("C$", 2),
        ["VES"] = ("Bs.S", 2), ["BRL"] = ("R$", 2),
    };

    public static (string Symbol, int Decimals) Of(string currency) =>
        Known.TryGetValue(currency, out var known) ? known : (currency + " ", 2);
}
