using System.Text.RegularExpressions;
using AgenteVendedor.Channels;
using AgenteVendedor.Common;

namespace AgenteVendedor.Notifications;

/// <summary>An empresa's WhatsApp notification settings: the checked event → template mapping, and its account's templates at Meta.</summary>
public sealed partial class NotificationSettingsGrain(ChannelStore channels, NotificationTemplateStore templates, WhatsAppTemplateCatalog catalog, SecretBox secrets)
    : Grain, INotificationSettingsGrain
{
    /// <summary>Parameters a template may take, at most (its body's {{1}}…{{n}}).</summary>
    public const int MaxParameters = 10;

    private static readonly Problem NoWhatsApp = Problem.Conflict("WhatsApp no está configurado en esta empresa: conéctalo primero con PUT /canales/whatsapp.");

    private Guid TenantId => this.GetPrimaryKey();

    public async Task<Outcome<IReadOnlyList<NotificationTemplate>>> GetMappingAsync() =>
        await channels.FindForTenantAsync(TenantId, ChannelKinds.WhatsApp) is null
            ? NoWhatsApp
            : new Outcome<IReadOnlyList<NotificationTemplate>>(await templates.ListAsync(TenantId), null);

    public async Task<Outcome<IReadOnlyList<NotificationTemplate>>> ReplaceMappingAsync(Actor actor, IReadOnlyDictionary<string, NotificationTemplateDraft?> mapping)
    {
        var errors = new List<FieldError>();
        var checkedMapping = new List<NotificationTemplate>();
        foreach (var (eventName, draft) in mapping)
        {
            if (!NotificationEvents.All.Contains(eventName, StringComparer.Ordinal))
            {
                errors.Add(new FieldError(Short(eventName), $"Evento desconocido. Usa uno de: {string.Join(", ", NotificationEvents.All)}."));
                continue;
            }

            if (draft is not null && Check(eventName, draft, errors) is { } template)
            {
                checkedMapping.Add(template);
            }
        }

        if (errors.Count > 0)
        {
            return new Problem(ProblemKind.Validation, "La asignación de plantillas tiene datos inválidos; no se guardó nada.", [.. errors]);
        }

        if (await channels.FindForTenantAsync(TenantId, ChannelKinds.WhatsApp) is null)
        {
            return NoWhatsApp;
        }

        return new Outcome<IReadOnlyList<NotificationTemplate>>(await templates.ReplaceAsync(TenantId, actor, checkedMapping), null);
    }

    public async Task<Outcome<IReadOnlyList<AccountTemplate>>> ListAccountTemplatesAsync()
    {
        if (await channels.FindForTenantAsync(TenantId, ChannelKinds.WhatsApp) is not { } channel)
        {
            return NoWhatsApp;
        }

        var wabaId = (await channels.ListForTenantAsync(TenantId)).FirstOrDefault(c => c.Kind == ChannelKinds.WhatsApp)?.WabaId;
        if (wabaId is null)
        {
            return Problem.Conflict("Falta el waba_id del canal de WhatsApp: agrégalo con PUT /canales/whatsapp para listar las plantillas de la cuenta.");
        }

        return await catalog.ListAsync(wabaId, secrets.Open<WhatsAppSecrets>(channel.Secrets).AccessToken);
    }

    private static NotificationTemplate? Check(string eventName, NotificationTemplateDraft draft, List<FieldError> errors)
    {
        var before = errors.Count;
        var name = draft.Name?.Trim();
        if (name is not { Length: > 0 and <= 512 } || !TemplateName().IsMatch(name))
        {
            errors.Add(new FieldError($"{eventName}.nombre",
                "Debe ser el nombre de la plantilla en Meta: letras minúsculas, dígitos y guion bajo, hasta 512 caracteres."));
        }

        var language = draft.Language?.Trim();
        if (language is null || !LanguageCode().IsMatch(language))
        {
            errors.Add(new FieldError($"{eventName}.idioma", "Debe ser un código de idioma de Meta, como es, es_CO, es_MX o en_US."));
        }

        var parameters = (draft.Parameters ?? []).Select(p => p?.Trim()).ToList();
        if (parameters.Count > MaxParameters)
        {
            errors.Add(new FieldError($"{eventName}.parametros", $"Una plantilla admite aquí como máximo {MaxParameters} parámetros."));
        }
        else if (parameters.Where(p => p is null || !TemplateParameters.All.Contains(p, StringComparer.Ordinal)).ToList() is [var unknown, ..])
        {
            errors.Add(new FieldError($"{eventName}.parametros",
                $"Parámetro desconocido{(unknown is null ? "" : $" ({Short(unknown)})")}. Usa: {string.Join(", ", TemplateParameters.All)}."));
        }

        return errors.Count > before ? null : new NotificationTemplate(eventName, name!, language!, parameters.Select(p => p!).ToList());
    }

    // A field name or value echoed back stays short, whatever was sent.
    private static string Short(string text) => Text.TextFit.Cut(text, 60);

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex TemplateName();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Z]{2}|_[0-9]{3})?$")]
    private static partial Regex LanguageCode();
}
