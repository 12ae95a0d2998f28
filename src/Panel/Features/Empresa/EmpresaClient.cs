using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Empresa;

public sealed class EmpresaClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<EmpresaDatos>> GetAsync() => GetAsync<EmpresaDatos>("/empresa");

    public Task<ApiResult<EmpresaDatos>> UpdateAsync(EmpresaDatos empresa) => PutAsync<EmpresaDatos>("/empresa", empresa);

    public Task<ApiResult<ChatRespuesta>> ChatAsync(string mensaje, Guid? conversacionId) =>
        PostAsync<ChatRespuesta>("/chat", new { mensaje, conversacion_id = conversacionId });
}

public sealed record EmpresaDatos(
    Guid Id, string Nombre, string Moneda, string Cultura, string ZonaHoraria, string Tono, string Instrucciones,
    string NombreAgente, IReadOnlyList<PreguntaFrecuente>? PreguntasFrecuentes, bool? PedidosChatPendientes = null);

public sealed record PreguntaFrecuente(string Pregunta, string Respuesta);

public sealed record ChatRespuesta(
    string Respuesta, string Tipo, Guid ConversacionId, IReadOnlyList<ChatProducto> Productos, Carrito Carrito, string? Esperando, Guid? OrdenId);

public sealed record ChatProducto(Guid Id, string Sku, string Nombre, decimal Precio, int Stock);

public sealed record Carrito(IReadOnlyList<CarritoItem> Items, decimal Total);

public sealed record CarritoItem(Guid ProductoId, string Sku, string Nombre, int Cantidad, decimal PrecioUnitario, decimal Subtotal);
