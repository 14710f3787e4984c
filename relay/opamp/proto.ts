// The subset of OpAMP (open-telemetry/opamp-spec proto/opamp/v1/opamp.proto + anyvalue.proto) the relay speaks,
// decoded/encoded with protobufjs. Fields not listed (packages, remote config bodies, custom messages) are skipped.

import protobuf from "protobufjs";

const OPAMP_PROTO = `
syntax = "proto3";
package linkmesh.opamp;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }

message AgentToServer {
  bytes instance_uid = 1;
  uint64 sequence_num = 2;
  AgentDescription agent_description = 3;
  uint64 capabilities = 4;
  ComponentHealth health = 5;
  EffectiveConfig effective_config = 6;
  RemoteConfigStatus remote_config_status = 7;
  AgentDisconnect agent_disconnect = 9;
  uint64 flags = 10;
  ConnectionSettingsStatus connection_settings_status = 15;
}
message AgentDisconnect {}
message AgentDescription {
  repeated KeyValue identifying_attributes = 1;
  repeated KeyValue non_identifying_attributes = 2;
}
message ComponentHealth {
  bool healthy = 1;
  fixed64 start_time_unix_nano = 2;
  string last_error = 3;
  string status = 4;
  fixed64 status_time_unix_nano = 5;
  map<string, ComponentHealth> component_health_map = 6;
}
message EffectiveConfig { AgentConfigMap config_map = 1; }
message AgentConfigMap { map<string, AgentConfigFile> config_map = 1; }
message AgentConfigFile { bytes body = 1; string content_type = 2; }
message RemoteConfigStatus { bytes last_remote_config_hash = 1; int32 status = 2; string error_message = 3; }
message ConnectionSettingsStatus { bytes last_connection_settings_hash = 1; int32 status = 2; string error_message = 3; }

message ServerToAgent {
  bytes instance_uid = 1;
  ServerErrorResponse error_response = 2;
  ConnectionSettingsOffers connection_settings = 4;
  uint64 flags = 6;
  uint64 capabilities = 7;
  AgentIdentification agent_identification = 8;
}
message ServerErrorResponse {
  int32 type = 1;
  string error_message = 2;
  oneof Details { RetryInfo retry_info = 3; }
}
message RetryInfo { uint64 retry_after_nanoseconds = 1; }
message AgentIdentification { bytes new_instance_uid = 1; }
message ConnectionSettingsOffers {
  bytes hash = 1;
  TelemetryConnectionSettings own_metrics = 3;
}
message TelemetryConnectionSettings {
  string destination_endpoint = 1;
  Headers headers = 2;
}
message Headers { repeated Header headers = 1; }
message Header { string key = 1; string value = 2; }
`;

const root = protobuf.parse(OPAMP_PROTO, { keepCase: false }).root;
export const AgentToServerType = root.lookupType("linkmesh.opamp.AgentToServer");
export const ServerToAgentType = root.lookupType("linkmesh.opamp.ServerToAgent");

/** AgentCapabilities bits (uint64 on the wire; every defined bit fits in a JS number). */
export const AgentCapability = {
  ReportsStatus: 0x1,
  ReportsEffectiveConfig: 0x4,
  ReportsOwnMetrics: 0x40,
  ReportsHealth: 0x800,
  ReportsHeartbeat: 0x2000,
} as const;

/** ServerCapabilities bits. */
export const ServerCapability = {
  AcceptsStatus: 0x1,
  AcceptsEffectiveConfig: 0x4,
  OffersConnectionSettings: 0x20,
} as const;

export const ServerToAgentFlag = { ReportFullState: 0x1 } as const;
export const ServerErrorResponseType = { Unknown: 0, BadRequest: 1, Unavailable: 2 } as const;
