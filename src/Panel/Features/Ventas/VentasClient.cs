using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Ventas;

public sealed class VentasClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<Page<Venta>>> ListAsync(SalesFilter filter, int pagina, int tamano, CancellationToken cancellationToken = default) =>
        GetAsync<Page<Venta>>(new Query("/ventas").Add("desde", filter.Desde).Add("hasta", filter.Hasta).Add("estado", filter.Estado)
            .Add("canal", filter.Canal).Add("cliente_id", filter.ClienteId).Add("pagina", pagina).Add("tamano", tamano), cancellationToken);

    public Task<ApiResult<Venta>> GetAsync(Guid id) => GetAsync<Venta>($"/ventas/{id}");

    public Task<ApiResult<Venta>> AnnulAsync(Guid id) => PostAsync<Venta>($"/ventas/{id}/anular", null);
}

public sealed record Venta(
    Guid Id, string Estado, decimal Total, IReadOnlyList<VentaItem> Items, Guid? ClienteId, string Canal, string? Notas,
    DateTime CreadoEn, DateTime? AnuladaEn);

public sealed record VentaItem(Guid ProductoId, string Sku, string Nombre, int Cantidad, decimal PrecioUnitario, decimal Subtotal);

public sealed record SalesFilter(DateOnly? Desde = null, DateOnly? Hasta = null, string? Estado = null, string? Canal = null, Guid? ClienteId = null);
