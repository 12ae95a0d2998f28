using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AgenteVendedor.Channels;

/// <summary>What the WhatsApp and Telegram payload readers share: their bounds and item-by-item reading.</summary>
internal static class PlatformPayload
{
    /// <summary>The platforms' deepest payloads are about ten levels; anything far deeper is not one of theirs.</summary>
    public const int MaxDepth = 32;

    /// <summary>inbound_messages.text and sender_name.</summary>
    public const int MaxTextLength = 4096;
    public const int MaxNameLength = 200;

    /// <summary>One item of a list, or null when it is not of the expected shape (the caller skips it).</summary>
    public static T? Item<T>(JsonElement element, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return element.Deserialize(type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The raw JSON of <paramref name="element"/>'s object property <paramref name="name"/> (e.g. a WhatsApp message's
    /// <c>image</c>), kept as the inbox row's payload; null when there is none, it is not an object, or it is larger
    /// than <see cref="MessageKinds.MaxPayloadLength"/>.
    /// </summary>
    public static string? ObjectOf(JsonElement element, string? name) =>
        name is { Length: > 0 } && element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Object && value.GetRawText() is { Length: <= MessageKinds.MaxPayloadLength } raw
            ? raw
            : null;

    /// <summary>At most <paramref name="max"/> characters, never half of a surrogate pair.</summary>
    public static string Cut(string text, int max) =>
        text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
}

/// <summary>
/// Unix seconds sent as a string of digits (Meta) or a number (Telegram); any other value, or one out
/// of range, reads as unknown (null) instead of failing the whole item.
/// </summary>
internal sealed class UnixSecondsConverter : JsonConverter<DateTime?>
{
    private const long MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z

    public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        long seconds;
        switch (reader.TokenType)
        {
            case JsonTokenType.String when long.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds):
            case JsonTokenType.Number when reader.TryGetInt64(out seconds):
                return seconds is >= 0 and <= MaxSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime : null;
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Only read.");
}

/// <summary>An error code Meta sends as a number (131047); a string is taken as it is, anything else as unknown.</summary>
internal sealed class NumberOrStringConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number when reader.TryGetInt64(out var number):
                return number.ToString(CultureInfo.InvariantCulture);
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Only read.");
}

/// <summary>A display name: a string is taken, any other value reads as no name instead of failing the item.</summary>
internal sealed class NameConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Only read.");
}
