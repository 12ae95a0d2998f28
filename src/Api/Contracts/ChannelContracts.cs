using AgenteVendedor.Channels;
using AgenteVendedor.Conversations;

namespace AgenteVendedor.Api.Contracts;

public sealed record WhatsAppRequest(string? PhoneNumberId, string? AccessToken, string? AppSecret, string? VerifyToken);

public sealed record TelegramRequest(string? BotToken, string? SecretToken);

/// <summary>A configured channel; its secrets are write-only and never come back.</summary>
public sealed record CanalResponse(Guid Id, string Tipo, string IdExterno, DateTime ActualizadoEn, string? WebhookUrl)
{
    /// <summary>With the path, relative to the Api's host, where the platform must deliver this channel's webhooks.</summary>
    public static CanalResponse From(ChannelView c) => new(c.Id, c.Kind, c.ExternalId, c.UpdatedAt, c.Kind switch
    {
        "whatsapp" => "/webhooks/whatsapp",
        "telegram" => $"/webhooks/telegram/{c.ExternalId}",
        _ => null,
    });
}

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
