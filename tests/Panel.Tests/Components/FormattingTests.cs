using AgenteVendedor.Panel.Formatting;

namespace AgenteVendedor.Panel.Tests.Components;

public sealed class FormattingTests
{
    private static string Plain(string text) => text.Replace('\u00a0', ' ').Replace('\u202f', ' ');

    [Fact]
    public void Colombian_pesos_are_written_without_cents_and_with_dots_for_thousands()
    {
        var format = new EmpresaFormat();
        format.Use("es-CO", "COP", "America/Bogota");
        Assert.Equal("$ 1.250.000", Plain(format.Money(1_250_000m)));
        Assert.Equal("1.250", Plain(format.Number(1250)));
    }

    [Fact]
    public void Mexican_pesos_keep_their_cents_and_commas()
    {
        var format = new EmpresaFormat();
        format.Use("es-MX", "MXN", "America/Mexico_City");
        Assert.Equal("$1,250.50", Plain(format.Money(1250.5m)));
    }

    [Fact]
    public void Times_from_the_api_are_shown_in_the_empresas_zone()
    {
        var format = new EmpresaFormat();
        format.Use("es-CO", "COP", "America/Bogota");
        var utc = new DateTime(2026, 12, 2, 3, 30, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 12, 1, 22, 30, 0), format.Local(utc));
        Assert.Equal(new DateOnly(2026, 12, 1), format.Today(new FixedClock(new DateTimeOffset(utc))));
    }

    [Fact]
    public void An_unknown_culture_or_zone_falls_back_instead_of_failing_the_page()
    {
        var format = new EmpresaFormat();
        format.Use("xx-NOPE-123", "XYZ", "Marte/Olympus");
        Assert.Equal("es-CO", format.Culture.Name);
        Assert.Equal(TimeZoneInfo.Utc, format.TimeZone);
        Assert.StartsWith("XYZ", format.Money(10m), StringComparison.Ordinal);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
