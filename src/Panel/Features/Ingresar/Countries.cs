namespace AgenteVendedor.Panel.Features.Ingresar;

/// <summary>Where a new empresa sells: its culture, currency and time zone, so the owner only picks a country.</summary>
public static class Countries
{
    public sealed record Country(string Code, string Name, string Culture, string Currency, string TimeZone);

    public static readonly IReadOnlyList<Country> All =
    [
        new("CO", "Colombia", "es-CO", "COP", "America/Bogota"),
        new("MX", "México", "es-MX", "MXN", "America/Mexico_City"),
        new("PE", "Perú", "es-PE", "PEN", "America/Lima"),
        new("CL", "Chile", "es-CL", "CLP", "America/Santiago"),
        new("AR", "Argentina", "es-AR", "ARS", "America/Argentina/Buenos_Aires"),
        new("EC", "Ecuador", "es-EC", "USD", "America/Guayaquil"),
        new("UY", "Uruguay", "es-UY", "UYU", "America/Montevideo"),
        new("PY", "Paraguay", "es-PY", "PYG", "America/Asuncion"),
        new("BO", "Bolivia", "es-BO", "BOB", "America/La_Paz"),
        new("GT", "Guatemala", "es-GT", "GTQ", "America/Guatemala"),
        new("CR", "Costa Rica", "es-CR", "CRC", "America/Costa_Rica"),
        new("DO", "República Dominicana", "es-DO", "DOP", "America/Santo_Domingo"),
    ];

    public static Country Find(string? code) => All.FirstOrDefault(c => c.Code == code) ?? All[0];
}
