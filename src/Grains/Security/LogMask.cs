namespace AgenteVendedor.Security;

/// <summary>
/// What our logs may say about a customer: enough to tell two chats apart, never the phone number or
/// what they wrote. Logs are shipped to places (consoles, collectors) that customers' data must not reach.
/// </summary>
public static class LogMask
{
    /// <summary>"573001112233" → "5730•••••233": the country and carrier prefix and the last three digits.</summary>
    public static string Address(string address)
    {
        if (address.Length <= 6)
        {
            return new string('•', address.Length);
        }

        return string.Concat(address.AsSpan(0, 4), new string('•', address.Length - 7), address.AsSpan(address.Length - 3));
    }

    /// <summary>A conversation key "{empresa}/{canal}/{address}" with the address masked.</summary>
    public static string Conversation(string key)
    {
        var parts = key.Split('/', 3);
        return parts.Length == 3 ? $"{parts[0]}/{parts[1]}/{Address(parts[2])}" : Address(key);
    }

    /// <summary>A customer's text: only its length.</summary>
    public static string Text(string? text) => text is null ? "(sin texto)" : $"({text.Length} caracteres)";
}
