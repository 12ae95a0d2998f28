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
            return message is { Chat.Id: { } chat, Text: { Length: > 0 } text } && !string.IsNullOrWhiteSpace(text)
                ? new TelegramInbound(chat.ToString(CultureInfo.InvariantCulture), NameOf(message.From), Cut(text), message.Date)
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

    private static string? NameOf(TgUser? user) =>
        user?.FirstName is { Length: > 0 } name ? PlatformPayload.Cut(name, PlatformPayload.MaxNameLength) : null;

    private static string Cut(string text) => PlatformPayload.Cut(text, PlatformPayload.MaxTextLength);
}

internal sealed record TelegramUpdateRead(long UpdateId, TelegramInbound? Inbound);

internal sealed record TelegramInbound(string ChatId, string? SenderName, string Text, DateTime? SentAt);

// The Bot API's wire shapes, only the fields we read (snake_case on the wire).
internal sealed record TgUpdate(long? UpdateId, JsonElement? Message, JsonElement? CallbackQuery);

internal sealed record TgMessage(TgUser? From, TgChat? Chat, [property: JsonConverter(typeof(UnixSecondsConverter))] DateTime? Date, string? Text);

internal sealed record TgChat(long? Id);

internal sealed record TgUser([property: JsonConverter(typeof(NameConverter))] string? FirstName);

internal sealed record TgCallbackQuery(TgUser? From, TgMessage? Message, string? Data);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = PlatformPayload.MaxDepth)]
[JsonSerializable(typeof(TgUpdate))]
[JsonSerializable(typeof(TgMessage))]
[JsonSerializable(typeof(TgCallbackQuery))]
internal sealed partial class TelegramJson : JsonSerializerContext;
