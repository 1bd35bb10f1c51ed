import { Badge, Checkbox, Group, Text, Tooltip } from "@mantine/core";
import type { ImportableProperty } from "../../api/types.ts";
import { fieldTypeLabels } from "../../components/format.ts";

export const unsupportedTooltip = "This field isn't supported and won't be imported.";

interface Props {
  property: ImportableProperty;
  checked: boolean;
  onToggle: (checked: boolean) => void;
}

function typeText(property: ImportableProperty): string {
  // The server may already give "type/fieldType"; never say the field type twice.
  const hubspot = property.hubspotType.includes("/") || !property.fieldType ? property.hubspotType : `${property.hubspotType}/${property.fieldType}`;
  return property.mappedType ? `${hubspot} → ${fieldTypeLabels[property.mappedType]}` : hubspot;
}

export function ImportPropertyRow({ property, checked, onToggle }: Props) {
  const disabled = !property.supported || property.alreadyImported;
  const box = (
    <Checkbox
      checked={checked || property.alreadyImported}
      disabled={disabled}
      onChange={(e) => onToggle(e.currentTarget.checked)}
      label={
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500} c={disabled ? "dimmed" : "inherit"}>
            {property.label}
          </Text>
          {property.alreadyImported && (
            <Badge size="xs" variant="light" color="gray">
              Already imported
            </Badge>
          )}
        </Group>
      }
      description={
        <>
          <code>{property.name}</code> · {typeText(property)}
        </>
      }
      aria-label={property.label}
      data-property={property.name}
    />
  );
  if (!property.supported) {
    return (
      <Tooltip label={property.reason && property.reason !== unsupportedTooltip ? `${unsupportedTooltip} (${property.reason})` : unsupportedTooltip} position="top-start">
        <div data-unsupported>{box}</div>
      </Tooltip>
    );
  }
  if (property.alreadyImported) {
    return (
      <Tooltip label="Already imported" position="top-start">
        <div>{box}</div>
      </Tooltip>
    );
  }
  return box;
}
