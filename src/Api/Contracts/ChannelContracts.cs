using System.Text.Json.Serialization;
using AgenteVendedor.Channels;
using AgenteVendedor.Conversations;

namespace AgenteVendedor.Api.Contracts;

/// <param name="WabaId">Optional: the WhatsApp Business Account id (digits), needed to list the account's message templates.</param>
/// <param name="CatalogId">Optional: the Meta catalog connected to the number (digits), for POST /canales/whatsapp/catalogo and product lists.</param>
public sealed record WhatsAppRequest(string? PhoneNumberId, string? AccessToken, string? AppSecret, string? VerifyToken, string? WabaId = null, string? CatalogId = null);

public sealed record TelegramRequest(string? BotToken, string? SecretToken);

/// <summary>A configured channel; its secrets are write-only and never come back.</summary>
/// <param name="WabaId">WhatsApp: the WhatsApp Business Account id, only when configured (absent otherwise).</param>
/// <param name="CatalogId">WhatsApp: the Meta catalog id, only when configured (absent otherwise).</param>
public sealed record CanalResponse(Guid Id, string Tipo, string IdExterno, DateTime ActualizadoEn, string? WebhookUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WabaId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CatalogId = null)
{
    /// <summary>With the path, relative to the Api's host, where the platform must deliver this channel's webhooks.</summary>
    public static CanalResponse From(ChannelView c) => new(c.Id, c.Kind, c.ExternalId, c.UpdatedAt, c.Kind switch
    {
        "whatsapp" => "/webhooks/whatsapp",
        "telegram" => $"/webhooks/telegram/{c.ExternalId}",
        _ => null,
    }, c.WabaId, c.CatalogId);
}

/// <summary>POST /canales/whatsapp/catalogo: products sent to the Meta catalog, those left out and why, items deleted, batches used.</summary>
public sealed record CatalogoPublicadoResponse(int Enviados, IReadOnlyList<OmitidoResponse> Omitidos, int Eliminados, int Lotes)
{
    public static CatalogoPublicadoResponse From(CatalogPushSummary s) =>
        new(s.Sent, s.Skipped.Select(o => new OmitidoResponse(o.Sku, o.Reason)).ToList(), s.Deleted, s.Batches);
}

public sealed record OmitidoResponse(string Sku, string Motivo);

public sealed record ClienteConversacion(string? Telefono, string? Nombre);

public sealed record ConversacionResponse(Guid Id, string Canal, ClienteConversacion Cliente, string Estado, string? UltimoMensaje, DateTime ActualizadoEn)
{
    public static ConversacionResponse From(ConversationSummary s) =>
        new(s.Id, s.Channel, new ClienteConversacion(s.CustomerPhone, s.CustomerName), s.State, s.LastMessage, s.UpdatedAt);
}

/// <summary>
/// One transcript line: <see cref="Tipo"/> is texto, imagen, audio, video, documento, sticker, reaccion, ubicacion, pedido
/// or otro; <see cref="Medios"/> the files it carried; <see cref="Transcripcion"/> / <see cref="Descripcion"/> what the
/// agent made of a voice note or a photo.
/// </summary>
public sealed record MensajeResponse(string Rol, string Texto, DateTime CreadoEn, string Tipo, IReadOnlyList<MedioResponse> Medios,
    string? Transcripcion, string? Descripcion)
{
    public static MensajeResponse From(Guid conversationId, TranscriptLine line) => new(line.Role, line.Text, line.At, line.Kind,
        (line.Media ?? []).Select(m => MedioResponse.From(conversationId, m)).ToList(), line.Transcription, line.Description);
}

/// <summary>
/// A file of a message. <see cref="Estado"/>: guardado (its bytes are at <see cref="Url"/>), demasiado_grande,
/// sha256_distinto or fallido (not kept: <see cref="Url"/> is null and <see cref="Error"/> says why).
/// </summary>
public sealed record MedioResponse(Guid Id, string Tipo, string? TipoMime, long? Tamano, string? NombreArchivo, string Estado, string? Error, string? Url)
{
    public static MedioResponse From(Guid conversationId, MediaItem m) => new(m.Id, m.Kind, m.Mime, m.Bytes, m.FileName, m.Status, m.Error,
        m.Status == "guardado" ? $"/conversaciones/{conversationId}/medios/{m.Id}" : null);
}

public sealed record ConversacionDetalleResponse(
    Guid Id, string Canal, ClienteConversacion Cliente, string Estado, string? UltimoMensaje, DateTime ActualizadoEn,
    IReadOnlyList<MensajeResponse> Mensajes, Carrito Carrito, IReadOnlyList<Guid> Ventas, IReadOnlyList<FallidoResponse> Fallidos)
{
    public static ConversacionDetalleResponse From(ConversationDetail d) => new(
        d.Summary.Id, d.Summary.Channel, new ClienteConversacion(d.Summary.CustomerPhone, d.Summary.CustomerName), d.Summary.State,
        d.Summary.LastMessage, d.Summary.UpdatedAt, d.Messages.Select(m => MensajeResponse.From(d.Summary.Id, m)).ToList(),
        Carrito.From(d.Cart), d.Orders,
        d.Failed.Select(f => new FallidoResponse(f.MessageId, f.Text, f.Attempts, f.Error, f.FailedAt)).ToList());
}

/// <summary>An inbound message the agent gave up on after its attempts (a dead letter); later messages are still answered.</summary>
public sealed record FallidoResponse(string MensajeId, string Texto, int Intentos, string Error, DateTime FallidoEn);

public sealed record MensajeHumanoRequest(string? Texto);

/// <summary>An event's template as an admin sends it: Meta's name and language, and which values fill {{1}}, {{2}}… in that order.</summary>
public sealed record PlantillaEventoRequest(string? Nombre, string? Idioma, IReadOnlyList<string?>? Parametros);

public sealed record PlantillaEvento(string Nombre, string Idioma, IReadOnlyList<string> Parametros);

/// <summary>Every notification event with its template, or null when it has none (outside the 24-hour window nothing is then sent).</summary>
public sealed record NotificacionesResponse(
    PlantillaEvento? VentaConfirmada, PlantillaEvento? VentaPreparando, PlantillaEvento? VentaEnviada, PlantillaEvento? VentaEntregada,
    PlantillaEvento? VentaAnulada, PlantillaEvento? CarritoAbandonado, IReadOnlyList<string> ParametrosDisponibles)
{
    public static NotificacionesResponse From(IReadOnlyList<Notifications.NotificationTemplate> mapping)
    {
        PlantillaEvento? Of(string eventName) => mapping.FirstOrDefault(t => t.Event == eventName) is { } t ? new(t.Name, t.Language, t.Parameters) : null;
        return new(Of(Notifications.NotificationEvents.OrderConfirmed), Of(Notifications.NotificationEvents.OrderPreparing),
            Of(Notifications.NotificationEvents.OrderShipped), Of(Notifications.NotificationEvents.OrderDelivered),
            Of(Notifications.NotificationEvents.OrderAnnulled), Of(Notifications.NotificationEvents.AbandonedCart), Notifications.TemplateParameters.All);
    }
}

/// <summary>One template of the WhatsApp Business Account; parametros is how many {{n}} its body has.</summary>
public sealed record PlantillaCuenta(string Nombre, string Idioma, string Estado, string Categoria, int Parametros);

public sealed record PlantillasResponse(IReadOnlyList<PlantillaCuenta> Plantillas);
