using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgenteVendedor.Channels;

/// <summary>
/// Reads a Telegram Bot API update into typed records. The update must be an object whose
/// <c>update_id</c> is a whole number (it is the dedupe key), within <see cref="PlatformPayload.MaxDepth"/>
/// levels; anything else is not an update: 400. Its <c>message</c> or <c>callback_query</c> is read on its
/// own: one that is not what Telegram sends (a string for <c>chat.id</c>, an object for <c>text</c>…) is
/// skipped and the update is still answered 200, so Telegram does not retry it. A <c>date</c> of another
/// type means "now"; a <c>from.first_name</c> that is not a string means no name. Texts longer than their column are cut.
/// </summary>
internal static class TelegramPayload
{
    public static (TelegramUpdateRead? Update, WebhookResult Refusal) Read(byte[] body)
    {
        TgUpdate? update;
        try
        {
            update = JsonSerializer.Deserialize(body, TelegramJson.Default.TgUpdate);
        }
        catch (JsonException)
        {
            return (null, WebhookResult.Malformed);
        }

        return update is { UpdateId: { } id }
            ? (new TelegramUpdateRead(id, InboundOf(update)), WebhookResult.Accepted)
            : (null, WebhookResult.Malformed);
    }

    private static TelegramInbound? InboundOf(TgUpdate update)
    {
        if (update.Message is { } element)
        {
            var message = PlatformPayload.Item(element, TelegramJson.Default.TgMessage);
            if (message is not { Chat.Id: { } chat })
            {
                return null;
            }

            var (kind, payload, text) = Content(message, element);
            return text is { Length: > 0 } && !string.IsNullOrWhiteSpace(text)
                ? new TelegramInbound(chat.ToString(CultureInfo.InvariantCulture), NameOf(message.From), Cut(text), message.Date, kind, payload)
                : null;
        }

        if (update.CallbackQuery is { } callbackElement)
        {
            var callback = PlatformPayload.Item(callbackElement, TelegramJson.Default.TgCallbackQuery);
            return callback is { Message.Chat.Id: { } chat, Data: { Length: > 0 } data } && !string.IsNullOrWhiteSpace(data)
                ? new TelegramInbound(chat.ToString(CultureInfo.InvariantCulture), NameOf(callback.From), Cut(data), null)
                : null;
        }

        return null;
    }

    /// <summary>
    /// What the message is (<see cref="MessageKinds"/>), the Bot API object of its file (the largest size of a photo) as the
    /// payload to download it, and the text the agent reads: the text, the caption, or a short marker.
    /// </summary>
    private static (string Kind, string? Payload, string? Text) Content(TgMessage message, JsonElement element)
    {
        string Or(string marker) => message.Caption is { Length: > 0 } caption ? caption : marker;
        if (message.Text is { } text)
        {
            return (MessageKinds.Text, null, text);
        }

        if (message.Photo is { Count: > 0 } sizes && element.TryGetProperty("photo", out var photos) && photos.ValueKind == JsonValueKind.Array)
        {
            // Sizes come smallest first; the last one is the full picture.
            var largest = photos[photos.GetArrayLength() - 1];
            return (MessageKinds.Image, largest.ValueKind == JsonValueKind.Object && largest.GetRawText() is { Length: <= MessageKinds.MaxPayloadLength } raw ? raw : null,
                Or("[imagen]"));
        }

        return message switch
        {
            { Voice: not null } => (MessageKinds.Audio, PlatformPayload.ObjectOf(element, "voice"), "[nota de voz]"),
            { Audio: not null } => (MessageKinds.Audio, PlatformPayload.ObjectOf(element, "audio"), Or("[audio]")),
            { Video: not null } => (MessageKinds.Video, PlatformPayload.ObjectOf(element, "video"), Or("[video]")),
            { Document: { } document } => (MessageKinds.Document, PlatformPayload.ObjectOf(element, "document"),
                Or(document.FileName is { Length: > 0 } name ? $"[documento: {PlatformPayload.Cut(name, PlatformPayload.MaxNameLength)}]" : "[documento]")),
            { Sticker: not null } => (MessageKinds.Sticker, PlatformPayload.ObjectOf(element, "sticker"), "[sticker]"),
            { Location: not null } => (MessageKinds.Location, PlatformPayload.ObjectOf(element, "location"), "[ubicación]"),
            _ => (MessageKinds.Other, null, "[mensaje]"),
        };
    }

    private static string? NameOf(TgUser? user) =>
        user?.FirstName is { Length: > 0 } name ? PlatformPayload.Cut(name, PlatformPayload.MaxNameLength) : null;

    private static string Cut(string text) => PlatformPayload.Cut(text, PlatformPayload.MaxTextLength);
}

internal sealed record TelegramUpdateRead(long UpdateId, TelegramInbound? Inbound);

/// <summary>One inbound message: <see cref="Kind"/> is one of <see cref="MessageKinds"/>; <see cref="Payload"/> the Bot API object of its file, or null.</summary>
internal sealed record TelegramInbound(string ChatId, string? SenderName, string Text, DateTime? SentAt,
    string Kind = MessageKinds.Text, string? Payload = null);

// The Bot API's wire shapes, only the fields we read (snake_case on the wire).
internal sealed record TgUpdate(long? UpdateId, JsonElement? Message, JsonElement? CallbackQuery);

internal sealed record TgMessage(TgUser? From, TgChat? Chat, [property: JsonConverter(typeof(UnixSecondsConverter))] DateTime? Date, string? Text,
    string? Caption = null, List<TgFile?>? Photo = null, TgFile? Voice = null, TgFile? Audio = null, TgFile? Video = null,
    TgFile? Document = null, TgFile? Sticker = null, JsonElement? Location = null);

/// <summary>A photo size, voice, audio, video, document or sticker: what getFile needs, and what the message says of the file.</summary>
internal sealed record TgFile(string? FileId, long? FileSize, string? MimeType, string? FileName);

internal sealed record TgChat(long? Id);

internal sealed record TgUser([property: JsonConverter(typeof(NameConverter))] string? FirstName);

internal sealed record TgCallbackQuery(TgUser? From, TgMessage? Message, string? Data);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = PlatformPayload.MaxDepth)]
[JsonSerializable(typeof(TgUpdate))]
[JsonSerializable(typeof(TgMessage))]
[JsonSerializable(typeof(TgCallbackQuery))]
internal sealed partial class TelegramJson : JsonSerializerContext;
