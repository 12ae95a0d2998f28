using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgenteVendedor.Channels;

/// <summary>
/// Reads a WhatsApp Cloud API delivery into typed records, in two steps:
/// <list type="number">
/// <item><see cref="Read"/>, before anything is looked up: the envelope must have Meta's shape —
/// an object with <c>object: "whatsapp_business_account"</c>, <c>entry[]</c> of objects with
/// <c>changes[]</c>, and in each change of <c>field: "messages"</c> a <c>value</c> whose
/// <c>metadata.phone_number_id</c> is a string of 1–20 digits. Any other JSON (<c>[]</c>, <c>5</c>,
/// <c>{"entry":5}</c>, a number for the id, nesting deeper than <see cref="PlatformPayload.MaxDepth"/>) is not an
/// event: 400. Changes of other fields are ignored.</item>
/// <item><see cref="WhatsAppDelivery.Messages"/> and <see cref="WhatsAppDelivery.Statuses"/>, once the
/// signature is good: each item of <c>messages[]</c>, <c>statuses[]</c> and <c>contacts[]</c> is read on
/// its own, and one that is not what Meta sends is skipped while the rest of the delivery is kept
/// (Meta would otherwise retry the whole delivery for days). A message is skipped when <c>id</c> is not a
/// string of 1–200 characters, <c>from</c> not 1–15 digits, or a field we read (<c>type</c>, <c>text.body</c>,
/// <c>interactive</c>, <c>button</c>, <c>location</c>, <c>image</c>, <c>audio</c>, <c>video</c>, <c>document</c>,
/// <c>sticker</c>, <c>reaction</c>) has another JSON type. Every other message is kept with its kind (<see cref="MessageKinds"/>);
/// a type we do not read (<c>unsupported</c>, <c>system</c>, <c>contacts</c>…) is kept as <c>otro</c>. A <c>timestamp</c>
/// that is neither a string of digits nor a whole number in range does not skip it: the time of receipt
/// is used. Texts longer than their column are cut; a contact name that is not a string is left out.</item>
/// </list>
/// </summary>
internal static class WhatsAppPayload
{
    public const int MaxMessageIdLength = 200;

    public static (WhatsAppDelivery? Delivery, WebhookResult Refusal) Read(byte[] body)
    {
        WaEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, WhatsAppJson.Default.WaEnvelope);
        }
        catch (JsonException)
        {
            return (null, WebhookResult.Malformed);
        }

        if (envelope is not { Object: "whatsapp_business_account", Entry: { Count: > 0 } entries })
        {
            return (null, WebhookResult.Malformed);
        }

        var values = new List<WaValue>();
        foreach (var change in entries.OfType<WaEntry>().SelectMany(e => e.Changes ?? []).OfType<WaChange>())
        {
            if (change.Field != "messages")
            {
                continue;
            }

            if (change.Value is not { Metadata.PhoneNumberId: { } id } value || !IsPhoneNumberId(id))
            {
                return (null, WebhookResult.Malformed);
            }

            values.Add(value);
        }

        var ids = values.Select(v => v.Metadata!.PhoneNumberId!).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count switch
        {
            0 => (null, WebhookResult.Malformed),
            // One delivery, one channel: a mix cannot be checked against one app secret.
            > 1 => (null, WebhookResult.Unauthorized),
            _ => (new WhatsAppDelivery(ids[0], values), WebhookResult.Accepted),
        };
    }

    /// <summary>Meta's phone number ids are digits; a bounded check before any lookup.</summary>
    public static bool IsPhoneNumberId(string id) => IsDigits(id, 20);

    /// <summary>A wa_id is the customer's number in international form without '+': at most 15 digits (E.164).</summary>
    public static bool IsWaId(string id) => IsDigits(id, 15);

    private static bool IsDigits(string text, int max) => text.Length > 0 && text.Length <= max && text.All(char.IsAsciiDigit);
}

/// <summary>A delivery whose envelope was read: the one phone number it is for and its <c>value</c>s.</summary>
internal sealed record WhatsAppDelivery(string PhoneNumberId, IReadOnlyList<WaValue> Values)
{
    public IEnumerable<WhatsAppInbound> Messages()
    {
        foreach (var value in Values)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var contact in (value.Contacts ?? []).Select(c => PlatformPayload.Item(c, WhatsAppJson.Default.WaContact)))
            {
                if (contact is { WaId: { } waId, Profile.Name: { Length: > 0 } name })
                {
                    names.TryAdd(waId, PlatformPayload.Cut(name, PlatformPayload.MaxNameLength));
                }
            }

            foreach (var element in value.Messages ?? [])
            {
                var message = PlatformPayload.Item(element, WhatsAppJson.Default.WaMessage);
                if (message is { Id: { Length: > 0 and <= WhatsAppPayload.MaxMessageIdLength } id, From: { } from }
                    && WhatsAppPayload.IsWaId(from) && TextOf(message) is { Length: > 0 } text)
                {
                    yield return new WhatsAppInbound(id, from, names.GetValueOrDefault(from), PlatformPayload.Cut(text, PlatformPayload.MaxTextLength), message.Timestamp,
                        KindOf(message), PlatformPayload.ObjectOf(element, message.Type));
                }
            }
        }
    }

    public IEnumerable<WhatsAppStatusUpdate> Statuses()
    {
        foreach (var status in Values.SelectMany(v => v.Statuses ?? []).Select(s => PlatformPayload.Item(s, WhatsAppJson.Default.WaStatus)))
        {
            // The columns: external_id varchar(200), status varchar(20), error_code varchar(20).
            if (status is { Id: { Length: > 0 and <= 200 } id, Status: { Length: > 0 and <= 20 } state })
            {
                var code = status.Errors?.OfType<WaStatusError>().FirstOrDefault()?.Code;
                yield return new WhatsAppStatusUpdate(id, state, status.Timestamp, code is { Length: <= 20 } ? code : null);
            }
        }
    }

    private static string KindOf(WaMessage message) => message.Type switch
    {
        "text" or "interactive" or "button" => MessageKinds.Text,
        "location" => MessageKinds.Location,
        "image" => MessageKinds.Image,
        "order" => MessageKinds.Order,
        "audio" => MessageKinds.Audio,
        "video" => MessageKinds.Video,
        "document" => MessageKinds.Document,
        "sticker" => MessageKinds.Sticker,
        "reaction" => MessageKinds.Reaction,
        _ => MessageKinds.Other,
    };

    /// <summary>
    /// What the customer said, as text the agent understands: the words, a caption, or a short Spanish marker for what
    /// has none ("[nota de voz]", "[sticker]"); a voice note or a photo may get its words later (transcription, description).
    /// </summary>
    private static string? TextOf(WaMessage message) => message.Type switch
    {
        "text" => message.Text?.Body,
        "interactive" => message.Interactive?.ButtonReply?.Title ?? message.Interactive?.ListReply?.Title ?? "[respuesta]",
        "button" => message.Button?.Text,
        "location" => message.Location switch
        {
            { Address: { Length: > 0 } address } => $"Mi ubicación: {address}",
            { Latitude: { } latitude, Longitude: { } longitude } =>
                $"Mi ubicación: {latitude.ToString(CultureInfo.InvariantCulture)}, {longitude.ToString(CultureInfo.InvariantCulture)}",
            _ => "[ubicación]",
        },
        "image" => CaptionOr(message.Image, "[imagen]"),
        "order" => message.Order is { ValueKind: JsonValueKind.Object } order ? Commerce.CatalogCart.TextOf(order) : "[pedido]",
        "video" => CaptionOr(message.Video, "[video]"),
        "audio" => message.Audio?.Voice == true ? "[nota de voz]" : "[audio]",
        "document" => message.Document?.Caption is { Length: > 0 } caption ? caption
            : message.Document?.Filename is { Length: > 0 } name ? $"[documento: {PlatformPayload.Cut(name, PlatformPayload.MaxNameLength)}]" : "[documento]",
        "sticker" => "[sticker]",
        "reaction" => message.Reaction?.Emoji is { Length: > 0 } emoji ? $"[reacción {PlatformPayload.Cut(emoji, 16)}]" : "[reacción quitada]",
        { Length: > 0 } type => $"[mensaje de tipo {PlatformPayload.Cut(type, 40)}]",
        _ => "[mensaje]",
    };

    private static string CaptionOr(WaMedia? media, string marker) => media?.Caption is { Length: > 0 } caption ? caption : marker;
}

/// <summary>One message of a delivery: <see cref="Kind"/> is one of <see cref="MessageKinds"/>, <see cref="Payload"/> the raw JSON of its type's object (or null).</summary>
internal sealed record WhatsAppInbound(string MessageId, string From, string? SenderName, string Text, DateTime? SentAt, string Kind, string? Payload);

internal sealed record WhatsAppStatusUpdate(string MessageId, string Status, DateTime? At, string? ErrorCode);

// Meta's wire shapes, only the fields we read (snake_case on the wire).
internal sealed record WaEnvelope(string? Object, List<WaEntry?>? Entry);

internal sealed record WaEntry(List<WaChange?>? Changes);

internal sealed record WaChange(string? Field, WaValue? Value);

/// <summary>The lists are kept as raw elements and read item by item, after the signature check.</summary>
internal sealed record WaValue(WaMetadata? Metadata, List<JsonElement>? Contacts, List<JsonElement>? Messages, List<JsonElement>? Statuses);

internal sealed record WaMetadata([property: JsonConverter(typeof(PhoneNumberIdConverter))] string? PhoneNumberId);

internal sealed record WaContact(string? WaId, WaProfile? Profile);

internal sealed record WaProfile([property: JsonConverter(typeof(NameConverter))] string? Name);

internal sealed record WaMessage(
    string? From, string? Id, [property: JsonConverter(typeof(UnixSecondsConverter))] DateTime? Timestamp, string? Type,
    WaText? Text, WaInteractive? Interactive, WaButton? Button, WaLocation? Location, WaMedia? Image,
    WaMedia? Audio, WaMedia? Video, WaMedia? Document, WaMedia? Sticker, WaReaction? Reaction, JsonElement? Order = null);

internal sealed record WaText(string? Body);

internal sealed record WaInteractive(string? Type, WaReply? ButtonReply, WaReply? ListReply);

internal sealed record WaReply(string? Id, string? Title);

internal sealed record WaButton(string? Payload, string? Text);

internal sealed record WaLocation(double? Latitude, double? Longitude, string? Name, string? Address);

/// <summary>image, audio, video, document and sticker: the media id to download, and what the customer wrote with it.</summary>
internal sealed record WaMedia(string? Id, string? MimeType, string? Sha256, string? Caption, string? Filename, bool? Voice);

internal sealed record WaReaction(string? MessageId, string? Emoji);

internal sealed record WaStatus(string? Id, string? Status, [property: JsonConverter(typeof(UnixSecondsConverter))] DateTime? Timestamp, List<WaStatusError?>? Errors);

internal sealed record WaStatusError([property: JsonConverter(typeof(NumberOrStringConverter))] string? Code);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = PlatformPayload.MaxDepth)]
[JsonSerializable(typeof(WaEnvelope))]
[JsonSerializable(typeof(WaContact))]
[JsonSerializable(typeof(WaMessage))]
[JsonSerializable(typeof(WaStatus))]
internal sealed partial class WhatsAppJson : JsonSerializerContext;

/// <summary>
/// A phone_number_id is read only when it is what Meta sends, a short string of digits; anything else
/// fails the envelope (400) before a string is even made of it, so a huge id costs no memory.
/// </summary>
internal sealed class PhoneNumberIdConverter : JsonConverter<string?>
{
    private const int MaxLength = 20;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // An escaped digit takes six bytes (\u0031).
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && reader.ValueSpan.Length <= MaxLength * 6
            && reader.GetString() is { } id && WhatsAppPayload.IsPhoneNumberId(id))
        {
            return id;
        }

        throw new JsonException("phone_number_id is not a string of 1-20 digits.");
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Only read.");
}
