/**
 * The rotation function's execution policy, built as plain data so tests (and the IAM
 * simulator) can check it exactly. Each statement names the smallest resource set AWS allows.
 */

export interface RotationPolicyInputs {
  readonly secretArns: readonly string[];
  readonly adminSecretArn: string;
  readonly kmsKeyArn: string;
  readonly logGroupArn: string;
  readonly vpc: boolean;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

/** `arn:<partition>:<service>:<region>:<account>:...` */
export function arnParts(arn: string, what: string): { partition: string; region: string; account: string } {
  const [prefix, partition, , region, account] = arn.split(":");
  if (prefix !== "arn" || !partition || !region || !/^\d{12}$/.test(account ?? "")) {
    throw new Error(`${what} must be a full ARN with region and account, got "${arn}"`);
  }
  return { partition, region, account };
}

export function rotationPolicy(inputs: RotationPolicyInputs): PolicyDocument {
  const { region } = arnParts(inputs.kmsKeyArn, "kmsKeyArn");
  const statements: PolicyStatement[] = [
    {
      Sid: "RotateSecrets",
      Effect: "Allow",
      Action: [
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue",
        "secretsmanager:UpdateSecretVersionStage",
      ],
      Resource: [...inputs.secretArns],
    },
    // Only read: the function never changes the admin credential.
    {
      Sid: "ReadAdminSecret",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [inputs.adminSecretArn],
    },
    // GetRandomPassword acts on no resource; "*" is the only resource it accepts.
    {
      Sid: "GeneratePasswords",
      Effect: "Allow",
      Action: ["secretsmanager:GetRandomPassword"],
      Resource: ["*"],
    },
    {
      Sid: "UseKeyThroughSecretsManager",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [inputs.kmsKeyArn],
      Condition: {
        StringEquals: {
          "kms:ViaService": `secretsmanager.${region}.amazonaws.com`,
          "kms:EncryptionContext:SecretARN": [...inputs.secretArns, inputs.adminSecretArn],
        },
      },
    },
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`${inputs.logGroupArn}:*`],
    },
  ];
  if (inputs.vpc) {
    // Lambda's VPC attachment; these EC2 actions support no narrower resource for Describe*.
    statements.push({
      Sid: "AttachToVpc",
      Effect: "Allow",
      Action: [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
      ],
      Resource: ["*"],
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}
