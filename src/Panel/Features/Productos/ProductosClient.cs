using System.Net.Http.Headers;
using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Productos;

public sealed class ProductosClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<Page<Producto>>> ListAsync(ProductFilter filter, int pagina, int tamano, CancellationToken cancellationToken = default) =>
        GetAsync<Page<Producto>>(new Query("/productos").Add("buscar", filter.Buscar).Add("categoria", filter.Categoria)
            .Add("activo", filter.Activo).Add("con_stock", filter.ConStock).Add("stock_maximo", filter.StockMaximo).Add("pagina", pagina).Add("tamano", tamano), cancellationToken);

    public Task<ApiResult<Producto>> CreateAsync(ProductoForm form) =>
        SendAsync<Producto>(HttpMethod.Post, "/productos", Json(form.ToRequest()), Idempotent(), CancellationToken.None);

    public Task<ApiResult<Producto>> UpdateAsync(Guid id, ProductoForm form) => PutAsync<Producto>($"/productos/{id}", form.ToRequest());

    public Task<ApiResult<NoContent>> DeactivateAsync(Guid id) => SendAsync<NoContent>(HttpMethod.Delete, $"/productos/{id}", null);

    public Task<ApiResult<Importacion>> ImportAsync(byte[] csv, string fileName, string modo)
    {
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var form = new MultipartFormDataContent { { file, "archivo", fileName } };
        return SendAsync<Importacion>(HttpMethod.Post, new Query("/productos/importar").Add("modo", modo), form, null, CancellationToken.None);
    }

    private static HttpContent Json(object body) => System.Net.Http.Json.JsonContent.Create(body, options: ApiJson.Options);
}

public sealed record Producto(
    Guid Id, string Sku, string Nombre, string Descripcion, decimal Precio, int Stock, string Categoria, bool Activo,
    DateTime CreadoEn, DateTime ActualizadoEn, IReadOnlyList<string>? PalabrasClave, string? ImagenUrl = null);

public sealed record ProductFilter(string? Buscar = null, string? Categoria = null, bool? Activo = null, bool? ConStock = null, int? StockMaximo = null);

public sealed record Importacion(string Modo, int Filas, int Creados, int Actualizados, int Desactivados, int SinCambios, long DuracionMs);

/// <summary>The product form's fields, as typed; the Api validates them and its messages go beside each field.</summary>
public sealed class ProductoForm
{
    public string Sku { get; set; } = "";
    public string Nombre { get; set; } = "";
    public string Descripcion { get; set; } = "";
    public decimal? Precio { get; set; }
    public int? Stock { get; set; }
    public string Categoria { get; set; } = "";
    public bool Activo { get; set; } = true;
    public string PalabrasClave { get; set; } = "";
    public string ImagenUrl { get; set; } = "";

    public static ProductoForm From(Producto p) => new()
    {
        Sku = p.Sku, Nombre = p.Nombre, Descripcion = p.Descripcion, Precio = p.Precio, Stock = p.Stock,
        Categoria = p.Categoria, Activo = p.Activo, PalabrasClave = string.Join(", ", p.PalabrasClave ?? []),
        ImagenUrl = p.ImagenUrl ?? "",
    };

    internal object ToRequest() => new
    {
        sku = Sku, nombre = Nombre, descripcion = Descripcion, precio = Precio, stock = Stock, categoria = Categoria, activo = Activo,
        palabras_clave = PalabrasClave.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        // PUT replaces the image too: an empty field is no image.
        imagen_url = string.IsNullOrWhiteSpace(ImagenUrl) ? null : ImagenUrl.Trim(),
    };
}
