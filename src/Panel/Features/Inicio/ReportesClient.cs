using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Inicio;

public sealed class ReportesClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<Resumen>> SummaryAsync(DateOnly desde, DateOnly hasta) =>
        GetAsync<Resumen>(new Query("/reportes/resumen").Add("desde", desde).Add("hasta", hasta));
}

public sealed record Resumen(int Ventas, decimal Ingresos, decimal TicketPromedio, IReadOnlyList<ProductoTop> ProductosTop, IReadOnlyList<VentasDia> PorDia);

public sealed record ProductoTop(Guid ProductoId, string Sku, string Nombre, long Cantidad, decimal Ingresos);

public sealed record VentasDia(DateOnly Fecha, int Ventas, decimal Ingresos);
