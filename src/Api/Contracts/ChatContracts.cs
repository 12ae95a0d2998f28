using AgenteVendedor.Conversations;

namespace AgenteVendedor.Api.Contracts;

public sealed record ChatRequest(string? Mensaje, string? Tipo, string? Tono, string? Instrucciones, string? Llm, Guid? ConversacionId);

/// <summary>A product the reply shows; <c>imagen_url</c> is its picture (null without one), for a client that draws cards.</summary>
public sealed record ChatProducto(Guid Id, string Sku, string Nombre, decimal Precio, int Stock, string? ImagenUrl);

public sealed record CarritoItem(Guid ProductoId, string Sku, string Nombre, int Cantidad, decimal PrecioUnitario, decimal Subtotal);

public sealed record Carrito(IReadOnlyList<CarritoItem> Items, decimal Total)
{
    public static Carrito From(CartView cart) => new(
        cart.Items.Select(i => new CarritoItem(i.ProductId, i.Sku, i.Name, i.Quantity, i.UnitPrice, i.Subtotal)).ToList(), cart.Total);
}

/// <param name="Esperando">What the agent asked the customer for and waits for (nombre, telefono, direccion, confirmacion), if anything.</param>
/// <param name="OrdenId">The sale this turn placed, if it placed one.</param>
public sealed record ChatResponse(
    string Respuesta, string Tipo, Guid ConversacionId, IReadOnlyList<ChatProducto> Productos, Carrito Carrito, string? Esperando, Guid? OrdenId);
