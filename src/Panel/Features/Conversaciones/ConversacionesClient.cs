using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Features.Empresa;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Conversaciones;

public sealed class ConversacionesClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<Page<Conversacion>>> ListAsync(string? estado, string? canal, int pagina = 1, int tamano = 50) =>
        GetAsync<Page<Conversacion>>(new Query("/conversaciones").Add("estado", estado).Add("canal", canal).Add("pagina", pagina).Add("tamano", tamano));

    public Task<ApiResult<ConversacionDetalle>> GetAsync(Guid id) => GetAsync<ConversacionDetalle>($"/conversaciones/{id}");

    public Task<ApiResult<ConversacionDetalle>> TakeAsync(Guid id) => PostAsync<ConversacionDetalle>($"/conversaciones/{id}/tomar", null);

    public Task<ApiResult<ConversacionDetalle>> ReleaseAsync(Guid id) => PostAsync<ConversacionDetalle>($"/conversaciones/{id}/liberar", null);

    public Task<ApiResult<ConversacionDetalle>> ReplyAsync(Guid id, string texto) =>
        PostAsync<ConversacionDetalle>($"/conversaciones/{id}/mensajes", new { texto });
}

public sealed record ClienteConversacion(string? Telefono, string? Nombre);

public sealed record Conversacion(Guid Id, string Canal, ClienteConversacion Cliente, string Estado, string? UltimoMensaje, DateTime ActualizadoEn);

public sealed record Mensaje(string Rol, string Texto, DateTime CreadoEn, string Tipo = "texto", IReadOnlyList<Medio>? Medios = null);

/// <summary>A file of a message; <see cref="Estado"/> guardado when its bytes can be shown.</summary>
public sealed record Medio(Guid Id, string Tipo, string? TipoMime, long? Tamano, string? NombreArchivo, string Estado, string? Error)
{
    public bool Guardado => Estado == "guardado";

    public bool EsImagen => Tipo is "imagen" or "sticker";
}

public sealed record ConversacionDetalle(
    Guid Id, string Canal, ClienteConversacion Cliente, string Estado, string? UltimoMensaje, DateTime ActualizadoEn,
    IReadOnlyList<Mensaje> Mensajes, Carrito Carrito, IReadOnlyList<Guid> Ventas)
{
    public Conversacion Summary => new(Id, Canal, Cliente, Estado, UltimoMensaje, ActualizadoEn);
}
