using AgenteVendedor.Catalog;

namespace AgenteVendedor.Api.Contracts;

public sealed record ProductoResponse(
    Guid Id, string Sku, string Nombre, string Descripcion, decimal Precio, int Stock, string Categoria, bool Activo,
    DateTime CreadoEn, DateTime ActualizadoEn, IReadOnlyList<string> PalabrasClave, string? ImagenUrl)
{
    public static ProductoResponse From(Product p) =>
        new(p.Id, p.Sku, p.Name, p.Description, p.Price, p.Stock, p.Category, p.Active, p.CreatedAt, p.UpdatedAt, p.Keywords, p.ImageUrl);
}

/// <param name="PalabrasClave">Absent or null: none (PUT replaces every field but the sku).</param>
/// <param name="ImagenUrl">Absent, null or empty: no image (PUT replaces it too).</param>
public sealed record ProductoRequest(
    string? Sku, string? Nombre, string? Descripcion, decimal? Precio, long? Stock, string? Categoria, bool? Activo,
    IReadOnlyList<string?>? PalabrasClave = null, string? ImagenUrl = null);

public sealed record ImportacionResponse(
    string Modo, int Filas, int Creados, int Actualizados, int Desactivados, int SinCambios, long DuracionMs);

public sealed record ErrorCsv(int Fila, string? Columna, string Mensaje);

public sealed record ResultadoBusqueda(ProductoResponse Producto, double Puntaje);
