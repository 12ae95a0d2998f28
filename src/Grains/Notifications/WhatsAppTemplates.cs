using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgenteVendedor.Channels;
using AgenteVendedor.Text;

namespace AgenteVendedor.Notifications;

/// <summary>The template object of a WhatsApp Cloud API send, and the rules Meta applies to its parameters.</summary>
public static partial class WhatsAppTemplates
{
    /// <summary>Meta refuses a body parameter longer than this (the whole body of a template is at most 1024 characters).</summary>
    public const int MaxParameterLength = 1024;

    /// <summary><c>{"name", "language": {"code"}, "components": [{"type": "body", "parameters": [{"type": "text", "text"}…]}]}</c>.</summary>
    public static JsonObject Body(TemplateMessage template)
    {
        var body = new JsonObject
        {
            ["name"] = template.Name,
            ["language"] = new JsonObject { ["code"] = template.Language },
        };
        if (template.Parameters.Count > 0)
        {
            body["components"] = new JsonArray(new JsonObject
            {
                ["type"] = "body",
                ["parameters"] = new JsonArray(template.Parameters.Select(p => (JsonNode)new JsonObject
                {
                    ["type"] = "text",
                    ["text"] = ParameterText(p),
                }).ToArray()),
            });
        }

        return body;
    }

    /// <summary>
    /// A parameter as Meta accepts it: never empty, no new lines or tabs and no more than four spaces in a row
    /// (error 132018 otherwise), at most <see cref="MaxParameterLength"/> characters.
    /// </summary>
    public static string ParameterText(string? value)
    {
        var flat = Spaces().Replace((value ?? "").Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' '), " ").Trim();
        return flat.Length == 0 ? "-" : TextFit.Cut(flat, MaxParameterLength);
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
