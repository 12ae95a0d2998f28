using System.Globalization;
using AgenteVendedor.Sales;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>?desde= and ?hasta=: a calendar day (2026-11-01, in the empresa's time zone, both ends included) or an ISO 8601 instant.</summary>
public static class PeriodReader
{
    public static bool TryRead(string? desde, string? hasta, out Period period, out string? error)
    {
        period = new Period();
        error = null;
        if (!TryBoundary(desde, out var fromDay, out var fromUtc) )
        {
            error = $"'desde' debe ser una fecha (2026-11-01) o una fecha y hora ISO 8601; se recibió '{desde}'.";
            return false;
        }

        if (!TryBoundary(hasta, out var toDay, out var toUtc))
        {
            error = $"'hasta' debe ser una fecha (2026-11-30) o una fecha y hora ISO 8601; se recibió '{hasta}'.";
            return false;
        }

        period = new Period(fromUtc, toUtc, fromDay, toDay);
        return true;
    }

    private static bool TryBoundary(string? text, out DateOnly? day, out DateTime? instant)
    {
        day = null;
        instant = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            day = d;
            return true;
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            instant = t.UtcDateTime;
            return true;
        }

        return false;
    }
}
