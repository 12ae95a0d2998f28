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

    public Task<ApiResult<Venta>> ChangeStatusAsync(Guid id, string estado, string? nota) =>
        PatchAsync<Venta>($"/ventas/{id}/estado", new { estado, nota = string.IsNullOrWhiteSpace(nota) ? null : nota });
}

public sealed record Venta(
    Guid Id, string Estado, decimal Total, IReadOnlyList<VentaItem> Items, Guid? ClienteId, string Canal, string? Notas,
    DateTime CreadoEn, DateTime? AnuladaEn, IReadOnlyList<CambioEstado>? Historial = null, IReadOnlyList<string>? EstadosSiguientes = null,
    IReadOnlyList<NotificacionVenta>? Notificaciones = null);

/// <summary>What the customer was told of one change of estado, and what WhatsApp said of it.</summary>
public sealed record NotificacionVenta(
    string Evento, string? Via, string? Plantilla, string Estado, string? ErrorCodigo, string? ErrorMensaje, DateTime CreadaEn, DateTime ActualizadaEn)
{
    /// <summary>The words staff read for where the notification stands.</summary>
    public string EstadoTexto => Estado switch
    {
        "pendiente" => "por enviar",
        "enviada" => "enviado",
        "entregada" => "entregado",
        "leida" => "leído",
        "fallida" => "no se pudo enviar",
        "omitida" => "no se envió",
        _ => Estado,
    };

    /// <summary>The estado the event tells of (venta_enviada → Enviada), or the event itself.</summary>
    public string EventoTexto => Evento.StartsWith("venta_", StringComparison.Ordinal) ? EstadosVenta.Nombre(Evento["venta_".Length..]) : Evento;
}

public sealed record CambioEstado(string? De, string A, Guid? UsuarioId, string? Nota, DateTime En);

/// <summary>The estados of a sale as the Api spells them, with the words the panel shows for each.</summary>
public static class EstadosVenta
{
    public const string Anulada = "anulada";

    public static readonly IReadOnlyList<(string Estado, string Nombre)> Todos =
    [
        ("pendiente", "Pendiente"), ("confirmada", "Confirmada"), ("preparando", "Preparando"),
        ("enviada", "Enviada"), ("entregada", "Entregada"), (Anulada, "Anulada"),
    ];

    public static string Nombre(string estado) => Todos.FirstOrDefault(e => e.Estado == estado).Nombre ?? estado;

    /// <summary>The label of the button that moves a sale to <paramref name="estado"/>.</summary>
    public static string Accion(string estado) => estado == "confirmada" ? "Confirmar" : $"Pasar a {estado}";
}

public sealed record VentaItem(Guid ProductoId, string Sku, string Nombre, int Cantidad, decimal PrecioUnitario, decimal Subtotal);

public sealed record SalesFilter(DateOnly? Desde = null, DateOnly? Hasta = null, string? Estado = null, string? Canal = null, Guid? ClienteId = null);
