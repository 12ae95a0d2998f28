using AgenteVendedor.Customers;
using AgenteVendedor.Sales;

namespace AgenteVendedor.Api.Contracts;

public sealed record VentaItemRequest(Guid? ProductoId, int? Cantidad);

public sealed record VentaRequest(Guid? ClienteId, IReadOnlyList<VentaItemRequest?>? Items, string? Canal, string? Notas);

public sealed record VentaItemResponse(Guid ProductoId, string Sku, string Nombre, int Cantidad, decimal PrecioUnitario, decimal Subtotal);

/// <param name="Historial">Every change of estado, oldest first; the first one is the placement (de: null).</param>
/// <param name="EstadosSiguientes">The estados the sale may move to now (anulada only by an admin); empty when its estado is final.</param>
/// <param name="Notificaciones">What the customer was told of each change of estado (WhatsApp or Telegram orders), oldest first.</param>
public sealed record VentaResponse(
    Guid Id, string Estado, decimal Total, IReadOnlyList<VentaItemResponse> Items, Guid? ClienteId, string Canal, string? Notas,
    DateTime CreadoEn, DateTime? AnuladaEn, IReadOnlyList<CambioEstadoResponse> Historial, IReadOnlyList<string> EstadosSiguientes,
    IReadOnlyList<NotificacionResponse> Notificaciones)
{
    public static VentaResponse From(Order o) => new(
        o.Id, o.Status, o.Total,
        o.Items.Select(i => new VentaItemResponse(i.ProductId, i.Sku, i.Name, i.Quantity, i.UnitPrice, i.Subtotal)).ToList(),
        o.CustomerId, o.Channel, o.Notes, o.CreatedAt, o.AnnulledAt,
        o.History.Select(h => new CambioEstadoResponse(h.From, h.To, h.UserId, h.Note, h.At)).ToList(), o.NextStatuses,
        (o.Notifications ?? []).Select(n => new NotificacionResponse(n.Event, n.Via, n.Template, n.Status, n.ErrorCode, n.ErrorMessage, n.CreatedAt, n.UpdatedAt)).ToList());
}

/// <summary>One notification of a sale to its customer.</summary>
/// <param name="Via">texto (inside WhatsApp's 24-hour window, and always on Telegram) or plantilla; null until tried, and when omitted.</param>
/// <param name="Estado">pendiente, enviada, entregada, leida, fallida or omitida; a sent one follows the delivery statuses WhatsApp reports.</param>
/// <param name="ErrorCodigo">The platform's code of a refusal (e.g. 131047), or of the last transient failure while still pendiente.</param>
/// <param name="ErrorMensaje">The platform's text of that refusal, or why nothing was sent (omitida).</param>
public sealed record NotificacionResponse(
    string Evento, string? Via, string? Plantilla, string Estado, string? ErrorCodigo, string? ErrorMensaje, DateTime CreadaEn, DateTime ActualizadaEn);

/// <param name="UsuarioId">Who made the change; null for the agent of a chat.</param>
public sealed record CambioEstadoResponse(string? De, string A, Guid? UsuarioId, string? Nota, DateTime En);

public sealed record VentaEstadoRequest(string? Estado, string? Nota);

public sealed record ClienteRequest(string? Nombre, string? Telefono, string? Email, string? Documento, string? Direccion, string? Notas);

public sealed record ClienteResponse(
    Guid Id, string Nombre, string Telefono, string? Email, string? Documento, string? Direccion, string? Notas, DateTime CreadoEn)
{
    public static ClienteResponse From(Customer c) => new(c.Id, c.Name, c.Phone, c.Email, c.Document, c.Address, c.Notes, c.CreatedAt);
}

public sealed record ProductoTop(Guid ProductoId, string Sku, string Nombre, long Cantidad, decimal Ingresos);

public sealed record VentasDia(DateOnly Fecha, int Ventas, decimal Ingresos);

public sealed record ResumenResponse(int Ventas, decimal Ingresos, decimal TicketPromedio, IReadOnlyList<ProductoTop> ProductosTop, IReadOnlyList<VentasDia> PorDia)
{
    public static ResumenResponse From(SalesSummary s) => new(
        s.Orders, s.Revenue, s.AverageTicket,
        s.TopProducts.Select(t => new ProductoTop(t.ProductId, t.Sku, t.Name, t.Quantity, t.Revenue)).ToList(),
        s.PerDay.Select(d => new VentasDia(d.Day, d.Orders, d.Revenue)).ToList());
}
