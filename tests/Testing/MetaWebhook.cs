using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Testing;

/// <summary>Builds WhatsApp Cloud API webhook deliveries and signs them as Meta does (HMAC-SHA256 of the raw bytes).</summary>
public static class MetaWebhook
{
    public static byte[] TextMessage(string phoneNumberId, string from, string messageId, string text, string name = "Cliente Prueba") =>
        Envelope(phoneNumberId, from, name, new JsonObject
        {
            ["from"] = from,
            ["id"] = messageId,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["type"] = "text",
            ["text"] = new JsonObject { ["body"] = text },
        });

    /// <summary>One delivery holding several text messages from one customer (Meta batches messages that arrive together).</summary>
    public static byte[] TextMessages(string phoneNumberId, string from, params (string MessageId, string Text)[] messages) =>
        Envelope(phoneNumberId, from, "Cliente Prueba", [.. messages.Select(m => new JsonObject
        {
            ["from"] = from,
            ["id"] = m.MessageId,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["type"] = "text",
            ["text"] = new JsonObject { ["body"] = m.Text },
        })]);

    public static byte[] ButtonReply(string phoneNumberId, string from, string messageId, string id, string title) =>
        Envelope(phoneNumberId, from, "Cliente Prueba", new JsonObject
        {
            ["from"] = from,
            ["id"] = messageId,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["type"] = "interactive",
            ["interactive"] = new JsonObject { ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = id, ["title"] = title } },
        });

    /// <summary>A delivery of one message of any type (image, location, list_reply…), written by the caller.</summary>
    public static byte[] Message(string phoneNumberId, string from, JsonObject message) => Envelope(phoneNumberId, from, "Cliente Prueba", message);

    /// <summary>A delivery of delivery statuses (sent, delivered, read, failed) of messages the business sent.</summary>
    public static byte[] Statuses(string phoneNumberId, params JsonObject[] statuses) =>
        Delivery(phoneNumberId, new JsonObject { ["statuses"] = new JsonArray(statuses) });

    private static byte[] Envelope(string phoneNumberId, string from, string name, params JsonObject[] messages) =>
        Delivery(phoneNumberId, new JsonObject
        {
            ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = name }, ["wa_id"] = from }),
            ["messages"] = new JsonArray(messages),
        });

    /// <summary>One change of field "messages" for the number, carrying what <paramref name="content"/> holds (contacts and messages, or statuses).</summary>
    private static byte[] Delivery(string phoneNumberId, JsonObject content)
    {
        var value = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject { ["display_phone_number"] = "15550001111", ["phone_number_id"] = phoneNumberId },
        };
        foreach (var (key, node) in content.ToList())
        {
            content.Remove(key);
            value[key] = node;
        }

        var payload = new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = "1234567890",
                ["changes"] = new JsonArray(new JsonObject { ["field"] = "messages", ["value"] = value }),
            }),
        };

        // Meta escapes non-ASCII characters (\u00bf for ¿): the default encoder does the same.
        return Encoding.UTF8.GetBytes(payload.ToJsonString(new JsonSerializerOptions()));
    }

    public static string Sign(byte[] body, string appSecret) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body)).ToLowerInvariant();
}
