using AgenteVendedor.Panel.Features.Productos;
using AgenteVendedor.Panel.Formatting;
using MudBlazor;

namespace AgenteVendedor.Panel.Features.Inicio;

/// <summary>What Inicio shows, computed from the Api's summaries: the three periods, the 30 days as a chart, and what needs attention.</summary>
public sealed record Dashboard(
    IReadOnlyList<PeriodFigures> Periods, DayChart PerDay, IReadOnlyList<ProductoTop> Top, long Waiting, IReadOnlyList<Producto> LowStock)
{
    public const int LowStockThreshold = 5;

    public static Dashboard From(
        DateOnly today, Resumen day, Resumen week, Resumen month, long waiting, IEnumerable<Producto> products, EmpresaFormat format) => new(
        [
            new PeriodFigures("hoy", "Hoy", day.Ventas, day.Ingresos, day.TicketPromedio),
            new PeriodFigures("7dias", "Últimos 7 días", week.Ventas, week.Ingresos, week.TicketPromedio),
            new PeriodFigures("30dias", "Últimos 30 días", month.Ventas, month.Ingresos, month.TicketPromedio),
        ],
        DayChart.From(today, month.PorDia, format),
        month.ProductosTop.Take(5).ToList(),
        waiting,
        products.Where(p => p.Activo && p.Stock <= LowStockThreshold).OrderBy(p => p.Stock).ThenBy(p => p.Nombre, StringComparer.Ordinal).Take(8).ToList());
}

public sealed record PeriodFigures(string Key, string Label, int Orders, decimal Revenue, decimal AverageTicket);

/// <summary>Sales per day over the 30 days ending today, with the days without sales as zeros.</summary>
public sealed record DayChart(string[] Labels, double[] Ventas, List<ChartSeries<double>> Series)
{
    /// <summary>Whole-sale steps on the axis, about five of them whatever the busiest day was.</summary>
    public int Step => Math.Max(1, (int)Math.Ceiling((Ventas.Length == 0 ? 0 : Ventas.Max()) / 5));

    public static DayChart From(DateOnly today, IReadOnlyList<VentasDia> perDay, EmpresaFormat format)
    {
        var byDay = perDay.ToDictionary(d => d.Fecha);
        var days = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29)).ToList();
        var sales = days.Select(d => byDay.TryGetValue(d, out var v) ? (double)v.Ventas : 0).ToArray();
        // Every fifth day labelled, so 30 labels do not crowd a phone screen.
        var labels = days.Select((d, i) => i % 5 == 4 || i == 0 ? format.ShortDay(d) : "").ToArray();
        var series = new List<ChartSeries<double>> { new() { Name = "Ventas", Data = sales } };
        return new DayChart(labels, perDay.Count == 0 ? [] : sales, series);
    }
}
